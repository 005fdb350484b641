using ChartCraft.Features.Statistics;
using static ChartCraft.Features.Analyze.ColumnProfiles;

namespace ChartCraft.Features.Analyze;

/// <summary>What the pattern search found, typed, so recommendations can build on the details.</summary>
internal sealed class Findings
{
    public TimeAxis? Axis { get; init; }
    public List<TrendFinding> Trends { get; } = [];
    public List<SeasonalityFinding> Seasonalities { get; } = [];
    public List<CorrelationFinding> Correlations { get; } = [];
    public List<(NumericProfile Column, Pattern Pattern)> Outliers { get; } = [];
    public List<(NumericProfile Column, Pattern Pattern)> Skews { get; } = [];
    public List<MissingFinding> Missing { get; } = [];
    public List<Pattern> Concentrations { get; } = [];

    // Enough to be useful without burying the strongest findings.
    private const int MaxPatterns = 40;

    public IReadOnlyList<Pattern> Patterns() =>
        Trends.Select(t => t.Pattern)
            .Concat(Seasonalities.Select(s => s.Pattern))
            .Concat(Correlations.Select(c => c.Pattern))
            .Concat(Outliers.Select(o => o.Pattern))
            .Concat(Skews.Select(s => s.Pattern))
            .Concat(Missing.Where(m => m.Pattern is not null).Select(m => m.Pattern!))
            .Concat(Concentrations)
            .OrderByDescending(p => p.Strength)
            .Take(MaxPatterns)
            .ToList();
}

internal sealed record TrendFinding(NumericProfile Column, Pattern Pattern, LinearFit Fit);

internal sealed record SeasonalityFinding(NumericProfile Column, Pattern Pattern, int Lag);

internal sealed record CorrelationFinding(NumericProfile X, NumericProfile Y, Pattern Pattern, double Pearson, double Spearman);

/// <summary>A column's missing cells; <paramref name="Where"/> says where most of them are, when they cluster.</summary>
internal sealed record MissingFinding(string Column, int Missing, int Rows, Pattern? Pattern, MissingCluster? Where);

/// <summary>Missing cells clustered in a period, a category or a row range.</summary>
/// <param name="Place">"in March 2024", "where region is 'West'", "in rows 100–120".</param>
/// <param name="MissingThere">Missing cells in that place.</param>
/// <param name="RowsThere">Rows in that place.</param>
/// <param name="Strength">Share of the column's missing cells there × (1 − share of rows there).</param>
internal sealed record MissingCluster(string Place, int MissingThere, int RowsThere, double Strength);

/// <summary>The parts every pattern is built from.</summary>
internal static class PatternParts
{
    /// <summary>A strength in 0..1; 0 for NaN.</summary>
    public static double Strength(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;

    /// <summary>Metrics without NaN or infinities, which JSON cannot carry.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(params (string Name, double Value)[] metrics) =>
        metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Name, m => m.Value);

    /// <summary>A change with its sign: "+12.5", "-3".</summary>
    public static string Signed(double value, string? unit) => (value > 0 ? "+" : "") + Readable.Number(value, unit);
}
