using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// Finds the facts a chart shows — change, growth rate, extremes, shares, trend, outliers, correlation,
/// seasonality, series comparisons — on the aggregated numbers, and ranks them by
/// impact × significance in the spirit of "Extracting Top-K Insights from Multi-dimensional Data"
/// (Tang et al., SIGMOD 2017): impact is the share of the chart a fact covers (1 for a single series,
/// the series' share of the whole otherwise), significance is 1 − p of the fact's test statistic, and a
/// per-kind weight says how headline-worthy a kind is when it holds.
/// </summary>
public static class StatisticalInsights
{
    // How much a fully significant fact of each kind is worth as a headline. Overall change and
    // correlation answer the question a reader of a line or scatter chart asks first; a summary
    // only fills the list when nothing else holds.
    static readonly Dictionary<string, double> Weights = new()
    {
        [InsightKinds.Change] = 1.0,
        [InsightKinds.Correlation] = 1.0,
        [InsightKinds.TopCategory] = 0.95,
        [InsightKinds.Trend] = 0.9,
        [InsightKinds.Seasonality] = 0.85,
        [InsightKinds.SeriesLeader] = 0.85,
        [InsightKinds.SeriesGrowth] = 0.8,
        [InsightKinds.Cagr] = 0.75,
        [InsightKinds.Concentration] = 0.7,
        [InsightKinds.BiggestMove] = 0.7,
        [InsightKinds.Outlier] = 0.65,
        [InsightKinds.Peak] = 0.6,
        [InsightKinds.Trough] = 0.5,
        [InsightKinds.Summary] = 0.2,
    };

    /// <summary>Tie-break order for equal scores, so the ranking is deterministic.</summary>
    static readonly string[] KindOrder = Weights.Keys.ToArray();

    /// <summary>All facts the chart supports, best first.</summary>
    public static IReadOnlyList<InsightFact> FindFacts(AggregatedChart chart)
    {
        var facts = new List<InsightFact>();
        if (chart.Points is { Count: > 0 } points) ScatterFacts.Find(chart, points, facts);
        else SeriesFacts.Find(chart, facts);
        return facts
            .Where(f => double.IsFinite(f.Value) && double.IsFinite(f.Score) && f.Figures.Values.All(double.IsFinite))
            .OrderByDescending(f => f.Score)
            .ThenBy(f => Array.IndexOf(KindOrder, f.Kind))
            .ToList();
    }

    // ---------------------------------------------------------------- scoring

    /// <summary>A fact of one series, scored by its kind, the series' impact, its significance and its effect size.</summary>
    internal static InsightFact Fact(string kind, string text, double value, Dictionary<string, double> figures,
        IReadOnlyList<string> labels, SeriesData s, double significance, string? headline = null, double effect = 1) =>
        new(kind, text, value, figures, labels, s.Name, Score(kind, s.Impact, significance, effect))
        {
            Headline = headline ?? text.TrimEnd('.'),
        };

    /// <summary>weight(kind) × impact × significance × effect, each clamped to 0..1.</summary>
    internal static double Score(string kind, double impact, double significance, double effect) =>
        Math.Round(Weights[kind] * Math.Clamp(impact, 0, 1) * Math.Clamp(significance, 0, 1) * Math.Clamp(effect, 0, 1), 4);

    internal static void AddIf(List<InsightFact> facts, InsightFact? fact)
    {
        if (fact is not null) facts.Add(fact);
    }
}
