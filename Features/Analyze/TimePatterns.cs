using ChartCraft.Features.Statistics;
using static ChartCraft.Features.Analyze.ColumnProfiles;
using static ChartCraft.Features.Analyze.PatternParts;

namespace ChartCraft.Features.Analyze;

/// <summary>Trends and seasonality of each numeric column along the first datetime column, by the shared tests.</summary>
internal static class TimePatterns
{
    /// <summary>A time axis needs as many periods as the trend test needs points.</summary>
    public const int MinPeriods = TrendTest.MinPoints;

    public static void Find(ColumnProfiles profiles, TimeAxis axis, Findings findings)
    {
        var x = new double[axis.Length];
        for (var i = 0; i < x.Length; i++) x[i] = i;
        foreach (var numeric in profiles.Numeric)
        {
            if (numeric.IsConstant) continue;
            var series = axis.MeanSeries(numeric.Values);
            var trend = TrendTest.Of(x, series);
            if (trend.Found) findings.Trends.Add(new TrendFinding(numeric, TrendPattern(numeric, axis, series, trend.Fit), trend.Fit));
            if (SeasonalityTest.Find(series, Periods.Noun(axis.Unit)) is { } season)
                findings.Seasonalities.Add(new SeasonalityFinding(numeric, SeasonalityPattern(numeric, axis, season), season.Lag));
        }
    }

    private static Pattern TrendPattern(NumericProfile numeric, TimeAxis axis, double[] series, LinearFit fit)
    {
        int first = Array.FindIndex(series, v => !double.IsNaN(v)), last = Array.FindLastIndex(series, v => !double.IsNaN(v));
        double from = fit.At(first), to = fit.At(last);
        var unit = Periods.Noun(axis.Unit);
        var valueUnit = numeric.Column.Unit;
        var subject = axis.Aggregated ? $"The {Periods.FrequencyName(axis.Unit)} mean of {numeric.Name}" : numeric.Name;
        var direction = fit.Slope > 0 ? "rises" : "falls";
        var change = from > 0 && to > 0 ? $" ({Signed((to - from) / from * 100, null)}%)" : "";
        var description =
            $"{subject} {direction} over time: about {Signed(fit.Slope, valueUnit)} per {unit} " +
            $"(R² {Readable.Coefficient(fit.RSquared)} over {Readable.Plural(fit.N, unit)} with data, {axis.Label(first)} to {axis.Label(last)}); " +
            $"the fitted line goes from {Readable.Number(from, valueUnit)} to {Readable.Number(to, valueUnit)}{change}.";
        var metrics = Metrics(("slope", fit.Slope), ("r_squared", fit.RSquared), ("periods", fit.N), ("fitted_start", from), ("fitted_end", to));
        return new Pattern(PatternTypes.Trend, [numeric.Name, axis.Time.Name], description, Strength(fit.RSquared), metrics);
    }

    private static Pattern SeasonalityPattern(NumericProfile numeric, TimeAxis axis, Season season)
    {
        var (peak, trough) = SeasonPhases.Of(season, Periods.Noun(axis.Unit), axis.Start);
        var unit = Periods.Noun(axis.Unit);
        var description =
            $"{numeric.Name} follows a {season.Cycle} cycle: autocorrelation {Readable.Coefficient(season.Autocorrelation)} at a lag of {season.Lag} {unit}s " +
            $"over {Readable.Count(season.Cycles)} cycles (vs {Readable.Coefficient(season.HalfCycleAutocorrelation)} at half a cycle); " +
            $"highest {peak.Where}, lowest {trough.Where}.";
        var metrics = Metrics(("lag", season.Lag), ("autocorrelation", season.Autocorrelation),
            ("half_cycle_autocorrelation", season.HalfCycleAutocorrelation), ("cycles", season.Cycles));
        return new Pattern(PatternTypes.Seasonality, [numeric.Name, axis.Time.Name], description, Strength(season.Autocorrelation), metrics);
    }
}
