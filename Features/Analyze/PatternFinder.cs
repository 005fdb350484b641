using System.Globalization;
using ChartCraft.Features.Upload;
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

/// <summary>Finds trends, seasonality, correlations, outliers, skew, missing-data clusters and concentration.</summary>
internal static class PatternFinder
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // A trend needs enough periods to be a trend, most variation explained by the line, and a slope
    // far from zero given the noise (t ≥ 3 because many columns are tested at once).
    private const int MinTrendPeriods = 6;
    private const double MinTrendRSquared = 0.3;
    private const double MinTrendT = 3;

    // Reported correlations: |r| ≥ 0.5 on at least five rows, and unlikely by chance (t ≥ 2, p ≈ 0.05).
    private const double MinCorrelation = 0.5;
    private const int MinCorrelationRows = 5;
    // Pairs grow with the square of the columns: wide tables correlate their 20 most complete numeric columns.
    private const int MaxCorrelatedColumns = 20;
    private const int MaxCorrelationPatterns = 10;

    // Seasonality: autocorrelation at the cycle length at least 0.3, and 0.3 above that at half a cycle,
    // which separates a cycle from a slowly wandering series (high autocorrelation at every lag).
    private const double MinSeasonalAutocorrelation = 0.3;
    private const double MinSeasonalContrast = 0.3;

    private const double MinSkew = 1;
    private const int MinValuesForShape = 8;

    // Missing cells "cluster" when 80% of them fall in a place holding at most 30% of the rows.
    private const double ClusterShare = 0.8;
    private const double MaxClusterRowShare = 0.3;
    private const double ReportMissingShare = 0.05;
    private const int MaxGroupingCategories = 50;
    // Each grouping column costs a pass over the rows per column with missing cells.
    private const int MaxGroupingColumns = 10;

    public static Findings Find(ColumnProfiles profiles)
    {
        var findings = new Findings { Axis = TimeAxis.ForFirstDatetime(profiles, MinTrendPeriods) };
        if (findings.Axis is { } axis) FindTimePatterns(profiles, axis, findings);
        FindCorrelations(profiles, findings);
        foreach (var numeric in profiles.Numeric)
        {
            if (OutlierPattern(numeric) is { } outlier) findings.Outliers.Add((numeric, outlier));
            if (SkewPattern(numeric) is { } skew) findings.Skews.Add((numeric, skew));
            if (ParetoPattern(numeric) is { } pareto) findings.Concentrations.Add(pareto);
        }
        FindMissing(profiles, findings);
        foreach (var labels in profiles.Labels)
            if (CategoryConcentration(labels) is { } concentration) findings.Concentrations.Add(concentration);
        foreach (var boolean in profiles.Booleans)
            if (BooleanConcentration(boolean) is { } concentration) findings.Concentrations.Add(concentration);
        return findings;
    }

    // ---- trend and seasonality ------------------------------------------------------------

    private static void FindTimePatterns(ColumnProfiles profiles, TimeAxis axis, Findings findings)
    {
        var x = new double[axis.Length];
        for (var i = 0; i < x.Length; i++) x[i] = i;
        foreach (var numeric in profiles.Numeric)
        {
            if (numeric.IsConstant) continue;
            var series = axis.MeanSeries(numeric.Values);
            var fit = Descriptive.FitLine(x, series);
            if (TrendPattern(numeric, axis, series, fit) is { } trend) findings.Trends.Add(new TrendFinding(numeric, trend, fit));
            if (SeasonalityPattern(numeric, axis, series, fit) is { } seasonality) findings.Seasonalities.Add(seasonality);
        }
    }

    private static Pattern? TrendPattern(NumericProfile numeric, TimeAxis axis, double[] series, LinearFit fit)
    {
        if (fit.N < MinTrendPeriods || !double.IsFinite(fit.Slope) || fit.Slope == 0) return null;
        if (fit.RSquared < MinTrendRSquared || Descriptive.TStatistic(Math.Sqrt(fit.RSquared), fit.N) < MinTrendT) return null;

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

    /// <summary>Cycle lengths worth testing per unit: a day of hours, a week of days, a year of anything.</summary>
    private static int[] SeasonLags(PeriodUnit unit) => unit switch
    {
        PeriodUnit.Hour => [24],
        PeriodUnit.Day => [7, 365],
        PeriodUnit.Week => [52],
        PeriodUnit.Month => [12],
        PeriodUnit.Quarter => [4],
        _ => [],
    };

    private static SeasonalityFinding? SeasonalityPattern(NumericProfile numeric, TimeAxis axis, double[] series, LinearFit fit)
    {
        SeasonalityFinding? best = null;
        double bestAcf = 0;
        foreach (var lag in SeasonLags(axis.Unit))
        {
            // At least two full cycles.
            if (axis.Length < 2 * lag) continue;
            // A moving average over one cycle removes any slow movement without touching the cycle, but costs half
            // a cycle at each end; short series are detrended with the straight line instead.
            var residual = axis.Length >= 4 * lag ? MovingAverageResidual(series, lag) : LineResidual(series, fit);
            var (acf, pairs) = Autocorrelation(residual, lag);
            var (half, _) = Autocorrelation(residual, lag / 2);
            if (pairs < lag || !double.IsFinite(acf) || !double.IsFinite(half)) continue;
            if (acf < MinSeasonalAutocorrelation || acf - half < MinSeasonalContrast || acf <= bestAcf) continue;

            var (cycle, peak, trough) = DescribePhases(axis, residual, lag);
            var unit = Periods.Noun(axis.Unit);
            var description =
                $"{numeric.Name} follows a {cycle} cycle: autocorrelation {Readable.Coefficient(acf)} at a lag of {lag} {unit}s " +
                $"over {Readable.Count(axis.Length / lag)} cycles (vs {Readable.Coefficient(half)} at half a cycle); {peak}, {trough}.";
            var metrics = Metrics(("lag", lag), ("autocorrelation", acf), ("half_cycle_autocorrelation", half), ("cycles", axis.Length / lag));
            best = new SeasonalityFinding(numeric,
                new Pattern(PatternTypes.Seasonality, [numeric.Name, axis.Time.Name], description, Strength(acf), metrics), lag);
            bestAcf = acf;
        }
        return best;
    }

    private static double[] LineResidual(double[] series, LinearFit fit)
    {
        var residual = new double[series.Length];
        for (var i = 0; i < series.Length; i++)
            residual[i] = double.IsFinite(fit.Slope) ? series[i] - fit.At(i) : series[i];
        return residual;
    }

    /// <summary>
    /// Series minus its centred moving average over one cycle (a 2×L average for even L, as in classical
    /// decomposition); NaN where the window runs off the series or is less than three quarters filled.
    /// </summary>
    private static double[] MovingAverageResidual(double[] series, int lag)
    {
        var n = series.Length;
        var sums = new double[n + 1];
        var counts = new int[n + 1];
        for (var i = 0; i < n; i++)
        {
            var present = !double.IsNaN(series[i]);
            sums[i + 1] = sums[i] + (present ? series[i] : 0);
            counts[i + 1] = counts[i] + (present ? 1 : 0);
        }
        var residual = new double[n];
        var half = lag / 2;
        for (var t = 0; t < n; t++)
        {
            residual[t] = double.NaN;
            if (double.IsNaN(series[t]) || t - half < 0 || t + half >= n) continue;
            double sum, weight;
            if (lag % 2 == 1)
            {
                sum = sums[t + half + 1] - sums[t - half];
                weight = counts[t + half + 1] - counts[t - half];
            }
            else
            {
                // Inner cells count fully, the two end cells by half, so the window spans exactly one cycle.
                sum = sums[t + half] - sums[t - half + 1];
                weight = counts[t + half] - counts[t - half + 1];
                foreach (var end in (int[])[t - half, t + half])
                    if (!double.IsNaN(series[end]))
                    {
                        sum += series[end] / 2;
                        weight += 0.5;
                    }
            }
            if (weight < 0.75 * lag) continue;
            residual[t] = series[t] - sum / weight;
        }
        return residual;
    }

    /// <summary>Autocorrelation at a lag over the pairs where both cells have a value.</summary>
    private static (double Acf, int Pairs) Autocorrelation(double[] series, int lag)
    {
        if (lag <= 0) return (1, series.Length);
        double sum = 0;
        var n = 0;
        foreach (var v in series)
            if (!double.IsNaN(v))
            {
                sum += v;
                n++;
            }
        if (n < 3) return (double.NaN, 0);
        var mean = sum / n;
        double variance = 0;
        foreach (var v in series)
            if (!double.IsNaN(v)) variance += (v - mean) * (v - mean);
        variance /= n;
        if (variance <= 0) return (double.NaN, 0);
        double cross = 0;
        var pairs = 0;
        for (var t = 0; t + lag < series.Length; t++)
        {
            if (double.IsNaN(series[t]) || double.IsNaN(series[t + lag])) continue;
            cross += (series[t] - mean) * (series[t + lag] - mean);
            pairs++;
        }
        return pairs == 0 ? (double.NaN, 0) : (Math.Clamp(cross / pairs / variance, -1, 1), pairs);
    }

    /// <summary>Names the cycle and where in it the series is highest and lowest on average.</summary>
    private static (string Cycle, string Peak, string Trough) DescribePhases(TimeAxis axis, double[] residual, int lag)
    {
        (string Cycle, Func<DateTime, int> Key, Func<int, string> High, Func<int, string> Low) phases = (axis.Unit, lag) switch
        {
            (PeriodUnit.Hour, _) => ("daily", d => d.Hour, h => $"highest around {h:00}:00", h => $"lowest around {h:00}:00"),
            (PeriodUnit.Day, 7) => ("weekly", d => (int)d.DayOfWeek,
                d => $"highest on {(DayOfWeek)d}s", d => $"lowest on {(DayOfWeek)d}s"),
            (PeriodUnit.Quarter, _) => ("yearly", d => (d.Month - 1) / 3 + 1, q => $"highest in Q{q}", q => $"lowest in Q{q}"),
            _ => ("yearly", d => d.Month, m => $"highest in {MonthName(m)}", m => $"lowest in {MonthName(m)}"),
        };
        var sums = new Dictionary<int, (double Sum, int Count)>();
        for (var i = 0; i < residual.Length; i++)
        {
            if (double.IsNaN(residual[i])) continue;
            var key = phases.Key(axis.Start(i));
            var (s, c) = sums.GetValueOrDefault(key);
            sums[key] = (s + residual[i], c + 1);
        }
        var means = sums.Select(kv => (kv.Key, Mean: kv.Value.Sum / kv.Value.Count)).ToList();
        var peak = means.MaxBy(m => m.Mean).Key;
        var trough = means.MinBy(m => m.Mean).Key;
        return (phases.Cycle, phases.High(peak), phases.Low(trough));
    }

    private static string MonthName(int month) => Invariant.DateTimeFormat.GetMonthName(month);

    // ---- correlation ----------------------------------------------------------------------

    private static void FindCorrelations(ColumnProfiles profiles, Findings findings)
    {
        var columns = profiles.Numeric
            .Where(c => !c.IsConstant && c.Sorted.Length >= MinCorrelationRows)
            .OrderByDescending(c => c.Sorted.Length)
            .Take(MaxCorrelatedColumns)
            .OrderBy(c => profiles.Numeric.IndexOf(c))
            .ToList();
        var found = new List<CorrelationFinding>();
        for (var i = 0; i < columns.Count; i++)
            for (var j = i + 1; j < columns.Count; j++)
                if (Correlation(columns[i], columns[j]) is { } finding) found.Add(finding);
        findings.Correlations.AddRange(found.OrderByDescending(f => f.Pattern.Strength).Take(MaxCorrelationPatterns));
    }

    private static CorrelationFinding? Correlation(NumericProfile a, NumericProfile b)
    {
        var (pearson, n) = Descriptive.Pearson(a.Values, b.Values);
        if (n < MinCorrelationRows || !double.IsFinite(pearson)) return null;
        // Spearman is Pearson on ranks; with missing cells the ranks are taken over the rows both columns share.
        var (spearman, _) = a.HasMissing || b.HasMissing
            ? Descriptive.Pearson(Descriptive.Ranks(a.Values.Length, a.Sorted, a.SortedRows, b.Values),
                Descriptive.Ranks(b.Values.Length, b.Sorted, b.SortedRows, a.Values))
            : Descriptive.Pearson(a.Ranks, b.Ranks);
        if (!double.IsFinite(spearman)) spearman = 0;
        var strength = Math.Max(Math.Abs(pearson), Math.Abs(spearman));
        if (strength < MinCorrelation || Descriptive.TStatistic(strength, n) < 2) return null;

        var sign = Math.Abs(pearson) >= Math.Abs(spearman) ? Math.Sign(pearson) : Math.Sign(spearman);
        var degree = strength >= 0.9 ? "very strong" : strength >= 0.7 ? "strong" : "moderate";
        var relation = sign > 0 ? $"{a.Name} and {b.Name} rise together" : $"{b.Name} falls as {a.Name} rises";
        var shape = Math.Abs(spearman) - Math.Abs(pearson) >= 0.15
            ? "; the relation is monotonic but not linear"
            : Math.Abs(pearson) - Math.Abs(spearman) >= 0.15 ? "; the linear correlation leans on a few extreme values" : "";
        var description =
            $"{relation}: {degree} {(sign > 0 ? "positive" : "negative")} correlation " +
            $"(Pearson r = {Readable.Coefficient(pearson)}, Spearman ρ = {Readable.Coefficient(spearman)}, {Readable.Plural(n, "row")}){shape}.";
        var pattern = new Pattern(PatternTypes.Correlation, [a.Name, b.Name], description, Strength(strength),
            Metrics(("pearson", pearson), ("spearman", spearman), ("rows", n)));
        return new CorrelationFinding(a, b, pattern, pearson, spearman);
    }

    // ---- distribution shape -----------------------------------------------------------------

    private static Pattern? OutlierPattern(NumericProfile numeric)
    {
        var s = numeric.Statistics;
        // With IQR 0 (most values equal, e.g. costs that are mostly 0) every other value falls outside the fences:
        // that is a concentration, reported as such, not a set of outliers.
        if (s.Outliers is not { Count: > 0 } outliers || s.Count < MinValuesForShape || s.Iqr is not > 0) return null;
        var scale = s.Iqr.Value;
        var farthest = outliers.Examples.Count == 0 ? 0 : outliers.Examples.Max(e =>
            e.Value < outliers.LowerFence ? outliers.LowerFence - e.Value : e.Value - outliers.UpperFence);
        var distance = farthest / scale;
        var share = (double)outliers.Count / s.Count;
        var unit = numeric.Column.Unit;
        var examples = string.Join(", ", outliers.Examples.Select(e => $"{Readable.Number(e.Value, unit)} (row {e.Row})"));
        var lead = outliers.Count > outliers.Examples.Count ? "e.g. " : "";
        var tail = share > 0.05 ? $"; at {Readable.Percent(share)} of values this is a long tail rather than a few errors" : "";
        var description =
            $"{numeric.Name} has {Readable.Plural(outliers.Count, "outlier")} beyond the 1.5×IQR fences " +
            $"(below {Readable.Number(outliers.LowerFence, unit)} or above {Readable.Number(outliers.UpperFence, unit)}): {lead}{examples}{tail}.";
        // How far the most extreme value lies beyond its fence, in IQRs: 1 IQR → 0.5, 3 IQR → 0.75.
        return new Pattern(PatternTypes.Outlier, [numeric.Name], description, Strength(distance / (distance + 1)),
            Metrics(("count", outliers.Count), ("share", share), ("lower_fence", outliers.LowerFence),
                ("upper_fence", outliers.UpperFence), ("max_distance_iqr", distance)));
    }

    private static Pattern? SkewPattern(NumericProfile numeric)
    {
        var s = numeric.Statistics;
        if (s.Skew is not { } skew || Math.Abs(skew) <= MinSkew || s.Count < MinValuesForShape) return null;
        var unit = numeric.Column.Unit;
        var description = skew > 0
            ? $"{numeric.Name} is right-skewed (skew {Readable.Coefficient(skew)}): the mean {Readable.Number(s.Mean!.Value, unit)} " +
              $"is above the median {Readable.Number(s.Median!.Value, unit)}, with a long tail up to {Readable.Number(s.Max!.Value, unit)}."
            : $"{numeric.Name} is left-skewed (skew {Readable.Coefficient(skew)}): the mean {Readable.Number(s.Mean!.Value, unit)} " +
              $"is below the median {Readable.Number(s.Median!.Value, unit)}, with a long tail down to {Readable.Number(s.Min!.Value, unit)}.";
        // |skew| 1 → 0.5, 3 → 0.75, 9 → 0.9.
        return new Pattern(PatternTypes.Skew, [numeric.Name], description, Strength(Math.Abs(skew) / (Math.Abs(skew) + 1)),
            Metrics(("skew", skew), ("mean", s.Mean!.Value), ("median", s.Median!.Value)));
    }

    /// <summary>A non-negative measure whose largest 10% of values make up at least half of its total.</summary>
    private static Pattern? ParetoPattern(NumericProfile numeric)
    {
        var sorted = numeric.Sorted;
        if (sorted.Length < 20 || sorted[0] < 0) return null;
        var total = numeric.Statistics.Sum ?? 0;
        if (total <= 0) return null;
        var topCount = (int)Math.Ceiling(sorted.Length * 0.1);
        var top = 0.0;
        for (var i = sorted.Length - topCount; i < sorted.Length; i++) top += sorted[i];
        var share = top / total;
        if (share < 0.5) return null;
        var description =
            $"The largest 10% of {numeric.Name} values ({Readable.Count(topCount)} of {Readable.Plural(sorted.Length, "row")}) make up " +
            $"{Readable.Percent(share)} of its total {Readable.Number(total, numeric.Column.Unit)}.";
        return new Pattern(PatternTypes.Concentration, [numeric.Name], description, Strength(share),
            Metrics(("top_share", share), ("top_rows", topCount), ("total", total)));
    }

    // ---- categories -------------------------------------------------------------------------

    private static Pattern? CategoryConcentration(LabelProfile labels)
    {
        var s = labels.Statistics;
        if (labels.Column.Type != ColumnTypes.Categorical || s.UniqueCount < 2 || s.Count < 10) return null;
        var top = s.TopValues;
        var topShare = top[0].Share;
        var top3Share = top.Take(3).Sum(v => v.Share);
        // One value dominating, or a few values covering nearly everything among many.
        var dominant = (s.UniqueCount >= 3 && topShare >= 0.5) || (s.UniqueCount == 2 && topShare >= 0.8);
        var fewCover = s.UniqueCount >= 6 && top3Share >= 0.8;
        if (!dominant && !fewCover) return null;
        var description = dominant
            ? $"{labels.Name}: '{top[0].Value}' accounts for {Readable.Percent(topShare)} of rows ({Readable.Count(top[0].Count)} of {Readable.Count(s.Count)}) among {Readable.Count(s.UniqueCount)} values."
            : $"{labels.Name}: the top 3 of {Readable.Count(s.UniqueCount)} values ({string.Join(", ", top.Take(3).Select(v => $"'{v.Value}'"))}) cover {Readable.Percent(top3Share)} of rows.";
        return new Pattern(PatternTypes.Concentration, [labels.Name], description, Strength(dominant ? topShare : top3Share),
            Metrics(("top_share", topShare), ("top3_share", top3Share), ("unique_count", s.UniqueCount)));
    }

    private static Pattern? BooleanConcentration(BooleanProfile boolean)
    {
        var s = boolean.Statistics;
        if (s.TrueShare is not { } trueShare || s.Count < 10) return null;
        var share = Math.Max(trueShare, 1 - trueShare);
        if (share < 0.9) return null;
        var value = trueShare >= 0.5 ? "true" : "false";
        var count = trueShare >= 0.5 ? s.TrueCount : s.FalseCount;
        var description = $"{boolean.Name} is {value} in {Readable.Percent(share)} of rows ({Readable.Count(count)} of {Readable.Count(s.Count)}).";
        return new Pattern(PatternTypes.Concentration, [boolean.Name], description, Strength(share), Metrics(("top_share", share)));
    }

    // ---- missing data -----------------------------------------------------------------------

    private static void FindMissing(ColumnProfiles profiles, Findings findings)
    {
        var rows = profiles.RowCount;
        foreach (var (column, name, missing) in profiles.MissingByColumn)
        {
            if (missing == 0) continue;
            var isMissing = MissingMask(profiles, name, rows);
            MissingCluster? cluster = missing >= 3 && missing < rows ? FindCluster(profiles, name, isMissing, missing) : null;
            var share = (double)missing / rows;
            Pattern? pattern = null;
            if (missing == rows)
                pattern = new Pattern(PatternTypes.MissingData, [name], $"{name} has no values in any of the {Readable.Plural(rows, "row")}.", 1,
                    Metrics(("missing", missing), ("share", 1)));
            else if (cluster is not null)
                pattern = new Pattern(PatternTypes.MissingData, [name],
                    $"{name} is missing in {Readable.Plural(missing, "row")} ({Readable.Percent(share)}); {Readable.Count(cluster.MissingThere)} of them " +
                    $"({Readable.Percent((double)cluster.MissingThere / missing)}) are {cluster.Place}, which holds {Readable.Percent((double)cluster.RowsThere / rows)} of rows.",
                    Strength(cluster.Strength),
                    Metrics(("missing", missing), ("share", share), ("missing_in_cluster", cluster.MissingThere), ("rows_in_cluster", cluster.RowsThere)));
            else if (share >= ReportMissingShare)
                pattern = new Pattern(PatternTypes.MissingData, [name],
                    $"{name} is missing in {Readable.Plural(missing, "row")} ({Readable.Percent(share)}), spread across the data.",
                    Strength(share), Metrics(("missing", missing), ("share", share)));
            findings.Missing.Add(new MissingFinding(name, missing, rows, pattern, cluster));
        }
    }

    private static bool[] MissingMask(ColumnProfiles profiles, string name, int rows)
    {
        var mask = new bool[rows];
        if (profiles.Numeric.Find(c => c.Name == name) is { } numeric)
            for (var i = 0; i < rows; i++) mask[i] = double.IsNaN(numeric.Values[i]);
        else if (profiles.Datetimes.Find(c => c.Name == name) is { } datetime)
            for (var i = 0; i < rows; i++) mask[i] = datetime.Ticks[i] == DatetimeProfile.Missing;
        else if (profiles.Booleans.Find(c => c.Name == name) is { } boolean)
            for (var i = 0; i < rows; i++) mask[i] = boolean.Codes[i] < 0;
        else if (profiles.Labels.Find(c => c.Name == name) is { } labels)
            for (var i = 0; i < rows; i++) mask[i] = labels.Codes[i] < 0;
        return mask;
    }

    /// <summary>The most specific place (period range, category, row range) holding most of a column's missing cells.</summary>
    private static MissingCluster? FindCluster(ColumnProfiles profiles, string name, bool[] isMissing, int missing)
    {
        var candidates = new List<MissingCluster?>();
        if (profiles.Datetimes.Find(d => d.Name != name && d.Distinct.Length >= 2) is { } time)
            candidates.Add(PeriodCluster(time, isMissing));
        foreach (var labels in profiles.Labels
                     .Where(l => l.Name != name && l.Column.Type == ColumnTypes.Categorical && l.Values.Count is >= 2 and <= MaxGroupingCategories)
                     .Take(MaxGroupingColumns))
            candidates.Add(CategoryCluster(labels.Codes, labels.Values.Count, c => $"where {labels.Name} is '{labels.Values[c]}'", isMissing, missing));
        foreach (var boolean in profiles.Booleans.Where(b => b.Name != name).Take(MaxGroupingColumns))
            candidates.Add(CategoryCluster(boolean.Codes, 2, c => $"where {boolean.Name} is {(c == 1 ? "true" : "false")}", isMissing, missing));
        candidates.Add(RowCluster(isMissing, missing));
        return candidates.Where(c => c is not null).MaxBy(c => c!.Strength);
    }

    /// <summary>Missing cells by period of the datetime column: the fewest-rows run of periods holding 80% of them.</summary>
    private static MissingCluster? PeriodCluster(DatetimeProfile time, bool[] isMissing)
    {
        // Months read best; days for short spans, years for long ones, never finer than the data itself.
        var spanUnit = time.SpanDays <= 62 ? PeriodUnit.Day : time.SpanDays <= 6 * 366 ? PeriodUnit.Month : PeriodUnit.Year;
        var unit = (PeriodUnit)Math.Max((int)spanUnit, (int)(time.Frequency.Unit ?? PeriodUnit.Day));
        var groups = new Dictionary<long, (int Rows, int Missing)>();
        for (var i = 0; i < isMissing.Length; i++)
        {
            if (time.Ticks[i] == DatetimeProfile.Missing) continue;
            var period = Periods.Index(new DateTime(time.Ticks[i], DateTimeKind.Utc), unit);
            var (r, m) = groups.GetValueOrDefault(period);
            groups[period] = (r + 1, m + (isMissing[i] ? 1 : 0));
        }
        if (groups.Count < 2) return null;
        var keys = groups.Keys.ToArray();
        var values = groups.Values.ToArray();
        Array.Sort(keys, values);
        var totalMissing = values.Sum(v => v.Missing);
        var totalRows = values.Sum(v => v.Rows);
        if (totalMissing < 3) return null;
        var target = (int)Math.Ceiling(ClusterShare * totalMissing);

        // Two pointers: for each right end, the shortest run to its left holding the target.
        int bestLeft = -1, bestRight = -1, bestRows = int.MaxValue, bestMissing = 0;
        int left = 0, windowRows = 0, windowMissing = 0;
        for (var right = 0; right < values.Length; right++)
        {
            windowRows += values[right].Rows;
            windowMissing += values[right].Missing;
            while (left < right && windowMissing - values[left].Missing >= target)
            {
                windowRows -= values[left].Rows;
                windowMissing -= values[left].Missing;
                left++;
            }
            if (windowMissing >= target && (windowRows < bestRows || (windowRows == bestRows && windowMissing > bestMissing)))
                (bestLeft, bestRight, bestRows, bestMissing) = (left, right, windowRows, windowMissing);
        }
        if (bestLeft < 0) return null;
        var rowShare = (double)bestRows / totalRows;
        if (rowShare > MaxClusterRowShare) return null;
        var place = bestLeft == bestRight
            ? $"in {Periods.Label(keys[bestLeft], unit)}"
            : $"between {Periods.Label(keys[bestLeft], unit)} and {Periods.Label(keys[bestRight], unit)}";
        return new MissingCluster(place, bestMissing, bestRows, (double)bestMissing / totalMissing * (1 - rowShare));
    }

    /// <summary>The category holding the most missing cells, when it holds most of them and far more than its share of rows.</summary>
    private static MissingCluster? CategoryCluster(int[] codes, int categories, Func<int, string> place, bool[] isMissing, int missing)
    {
        var rows = new int[categories];
        var missingIn = new int[categories];
        var grouped = 0;
        for (var i = 0; i < codes.Length; i++)
        {
            if (codes[i] < 0) continue;
            grouped++;
            rows[codes[i]]++;
            if (isMissing[i]) missingIn[codes[i]]++;
        }
        var best = Array.IndexOf(missingIn, missingIn.Max());
        if (best < 0 || missingIn[best] < 0.5 * missing) return null;
        var rowShare = (double)rows[best] / grouped;
        var lift = ((double)missingIn[best] / rows[best]) / ((double)missing / isMissing.Length);
        if (rowShare > MaxClusterRowShare || lift < 2) return null;
        return new MissingCluster(place(best), missingIn[best], rows[best], (double)missingIn[best] / missing * (1 - rowShare));
    }

    /// <summary>The narrowest range of consecutive rows holding 80% of the missing cells.</summary>
    private static MissingCluster? RowCluster(bool[] isMissing, int missing)
    {
        var positions = new int[missing];
        for (int i = 0, j = 0; i < isMissing.Length; i++)
            if (isMissing[i]) positions[j++] = i;
        var k = (int)Math.Ceiling(ClusterShare * missing);
        int bestStart = 0, bestSpan = int.MaxValue;
        for (var i = 0; i + k - 1 < missing; i++)
        {
            var span = positions[i + k - 1] - positions[i] + 1;
            if (span < bestSpan) (bestStart, bestSpan) = (i, span);
        }
        var rowShare = (double)bestSpan / isMissing.Length;
        if (rowShare > MaxClusterRowShare) return null;
        var first = positions[bestStart];
        var last = positions[bestStart + k - 1];
        return new MissingCluster($"in rows {first}–{last}", k, bestSpan, (double)k / missing * (1 - rowShare));
    }

    // ---- shared -----------------------------------------------------------------------------

    private static string Signed(double value, string? unit) => (value > 0 ? "+" : "") + Readable.Number(value, unit);

    private static double Strength(double value) => double.IsFinite(value) ? Math.Clamp(value, 0, 1) : 0;

    /// <summary>Metrics without NaN or infinities, which JSON cannot carry.</summary>
    private static IReadOnlyDictionary<string, double> Metrics(params (string Name, double Value)[] metrics) =>
        metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Name, m => m.Value);
}
