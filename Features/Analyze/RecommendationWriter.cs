using System.Globalization;
using System.Text.RegularExpressions;
using ChartCraft.Features.Statistics;
using ChartCraft.Features.Upload;
using static ChartCraft.Features.Analyze.ColumnProfiles;

namespace ChartCraft.Features.Analyze;

/// <summary>Turns statistics and findings into specific actions: data fixes, scales, then charts worth making.</summary>
internal static partial class RecommendationWriter
{
    private const int MaxCleaning = 8;
    private const int MaxCharts = 6;
    // A chart stays readable up to about this many time periods; longer spans move to a coarser unit.
    private const int MaxChartPeriods = 500;
    // Outliers above this share of values are a tail to show on a log scale, not rows to check one by one.
    private const double MaxOutlierShareToCheck = 0.05;

    // Words in the names of measures that add up (a month's revenue is the sum of its rows); others are averaged.
    private static readonly HashSet<string> AdditiveWords =
    [
        "count", "counts", "total", "amount", "sales", "revenue", "quantity", "qty", "units", "people", "population",
        "volume", "cost", "costs", "spend", "profit", "visits", "orders",
    ];

    // Words that mark a number as a code rather than a measure: averaging or charting it says nothing.
    private static readonly HashSet<string> CodeWords = ["id", "code", "zip", "fips", "key"];

    public static IReadOnlyList<Recommendation> Write(ColumnProfiles profiles, Findings findings)
    {
        var list = new List<Recommendation>();
        list.AddRange(Cleaning(profiles, findings).Take(MaxCleaning));
        list.AddRange(Transforms(findings));
        list.AddRange(Charts(profiles, findings).Take(MaxCharts));
        return list;
    }

    private static IEnumerable<Recommendation> Cleaning(ColumnProfiles profiles, Findings findings) =>
        MissingCleaning(findings).Concat(ValueCleaning(profiles));

    /// <summary>Columns with missing cells, most missing first: drop, check where they cluster, or fill.</summary>
    private static IEnumerable<Recommendation> MissingCleaning(Findings findings)
    {
        foreach (var m in findings.Missing.OrderByDescending(m => m.Missing))
        {
            var share = (double)m.Missing / m.Rows;
            var text = m switch
            {
                _ when m.Missing == m.Rows => $"Drop column {m.Column}: it has no values.",
                { Where: { } where } =>
                    $"Column {m.Column} has {Readable.Plural(where.MissingThere, "missing value")} {where.Place}" +
                    (where.MissingThere < m.Missing ? $" (of {Readable.Count(m.Missing)} in total)" : "") +
                    "; check the source data there before charting it.",
                _ when share >= 0.5 =>
                    $"Column {m.Column} is missing in {Readable.Share(share)} of rows ({Readable.Count(m.Missing)} of {Readable.Count(m.Rows)}); leave it out of charts or fill it from another source.",
                _ => $"Column {m.Column} has {Readable.Plural(m.Missing, "missing value")} ({Readable.Share(share)}); exclude or fill them before aggregating.",
            };
            yield return new Recommendation(RecommendationTypes.Cleaning, text, [m.Column]);
        }
    }

    /// <summary>Cells that did not parse, outliers to check, repeated identifiers, constant columns and gaps in time.</summary>
    private static IEnumerable<Recommendation> ValueCleaning(ColumnProfiles profiles)
    {
        foreach (var (name, statistics) in profiles.Statistics)
        {
            if (statistics.Invalid <= 0) continue;
            var kind = statistics switch
            {
                NumericStatistics => "numbers",
                DatetimeStatistics => "dates",
                BooleanStatistics => "true/false values",
                _ => "values",
            };
            yield return new Recommendation(RecommendationTypes.Cleaning,
                $"{Readable.Plural(statistics.Invalid, "value")} in {name} did not read as {kind} and count as missing; correct them in the source to include them.",
                [name]);
        }

        foreach (var numeric in profiles.Numeric)
        {
            var s = numeric.Statistics;
            if (s.Outliers is not { Count: > 0 } outliers || s.Iqr is not > 0 || (double)outliers.Count / s.Count > MaxOutlierShareToCheck) continue;
            var rows = string.Join(", ", outliers.Examples.Select(e => e.Row).Order());
            var text = outliers.Count <= outliers.Examples.Count
                ? $"Remove or check {Readable.Plural(outliers.Count, "outlier")} in {numeric.Name} ({(outliers.Count == 1 ? "row" : "rows")} {rows})."
                : $"Check {Readable.Count(outliers.Count)} outliers in {numeric.Name}, starting with the most extreme (rows {rows}).";
            yield return new Recommendation(RecommendationTypes.Cleaning, text, [numeric.Name]);
        }

        foreach (var labels in profiles.Labels)
            if (labels.Statistics is IdStatistics { DuplicateCount: > 0 } id)
            {
                var example = id.TopValues.FirstOrDefault(v => v.Count > 1);
                yield return new Recommendation(RecommendationTypes.Cleaning,
                    $"{labels.Name} looks like an identifier but repeats {Readable.Plural(id.DuplicateCount, "time")}" +
                    (example is null ? "" : $" ('{example.Value}' appears {Readable.Count(example.Count)} times)") + "; check for duplicated rows.",
                    [labels.Name]);
            }

        foreach (var (name, statistics) in profiles.Statistics)
            if (statistics.UniqueCount == 1 && statistics.Count > 1)
                yield return new Recommendation(RecommendationTypes.Cleaning,
                    $"{name} holds the same value ({SingleValue(statistics)}) in every row that has one; it adds nothing to a chart.", [name]);

        foreach (var time in profiles.Datetimes)
        {
            var f = time.Frequency;
            if (f.Unit is not { } unit || f.MissingPeriods == 0 || f.Gaps.Count == 0) continue;
            var noun = f.BusinessDaysOnly ? "business day" : Periods.Noun(unit);
            var largest = f.Gaps[0];
            yield return new Recommendation(RecommendationTypes.Cleaning,
                $"{time.Name} is {f.Name} but skips {Readable.Plural(f.MissingPeriods, noun)} (largest gap: {Readable.Plural(largest.MissingPeriods, noun)} " +
                $"between {largest.From} and {largest.To}); a chart by {Periods.Noun(unit)} shows them as gaps.",
                [time.Name]);
        }
    }

    private static IEnumerable<Recommendation> Transforms(Findings findings)
    {
        foreach (var (numeric, _) in findings.Skews)
        {
            var s = numeric.Statistics;
            var skew = Readable.Coefficient(s.Skew!.Value);
            var zeros = numeric.Sorted.Count(v => v == 0);
            if (zeros * 2 >= numeric.Sorted.Length)
            {
                // Mostly zeros (damage costs, refunds): a median of 0 says nothing and a log scale cannot show 0.
                var nonZero = numeric.Sorted.Length - zeros;
                yield return new Recommendation(RecommendationTypes.Transform,
                    $"Most {numeric.Name} values are 0 ({Readable.Count(zeros)} of {Readable.Count(numeric.Sorted.Length)} rows): chart its total, " +
                    $"or the {Readable.Count(nonZero)} non-zero rows on their own (median {Readable.Number(Descriptive.Quantile(numeric.Sorted.Where(v => v != 0).ToArray(), 0.5), s.Unit)}).",
                    [numeric.Name]);
                continue;
            }
            yield return s.Min > 0 && s.Skew > 0
                ? new Recommendation(RecommendationTypes.Transform,
                    $"Log scale suits {numeric.Name} (skew {skew}, values from {Readable.Number(s.Min!.Value, s.Unit)} to {Readable.Number(s.Max!.Value, s.Unit)}).",
                    [numeric.Name])
                : new Recommendation(RecommendationTypes.Transform,
                    $"Summarise {numeric.Name} with the median ({Readable.Number(s.Median!.Value, s.Unit)}) rather than the mean ({Readable.Number(s.Mean!.Value, s.Unit)}): it is skewed (skew {skew}).",
                    [numeric.Name]);
        }
    }

    private static IEnumerable<Recommendation> Charts(ColumnProfiles profiles, Findings findings)
    {
        var charted = new HashSet<string>();
        foreach (var line in TimeCharts(profiles, findings, charted)) yield return line;

        foreach (var c in findings.Correlations.Take(2))
            yield return new Recommendation(RecommendationTypes.Chart,
                $"Scatter plot of {c.Y.Name} against {c.X.Name} (Pearson r = {Readable.Coefficient(c.Pearson)}, Spearman ρ = {Readable.Coefficient(c.Spearman)}).",
                [c.X.Name, c.Y.Name],
                new RecommendedChart("scatter", c.X.Name, c.Y.Name, null, null));

        var categories = profiles.Labels
            .Where(l => l.Column.Type == ColumnTypes.Categorical && l.Values.Count is >= 2 and <= 30)
            .OrderBy(l => l.Values.Count)
            .ToList();
        var measures = profiles.Numeric.Where(n => !n.IsConstant && !IsCode(n)).ToList();
        var measure = measures.FirstOrDefault(n => !charted.Contains(n.Name)) ?? measures.FirstOrDefault();
        if (categories.FirstOrDefault(c => c.Values.Count <= 20) is { } group && measure is not null)
        {
            var horizontal = group.Values.Count > 8 || group.Values.Max(v => v.Length) > 12;
            var aggregation = Aggregation(measure, aggregated: true);
            yield return new Recommendation(RecommendationTypes.Chart,
                $"{(horizontal ? "Horizontal bar" : "Bar")} chart of {(aggregation == "sum" ? "total" : "average")} {measure.Name} by {group.Name} ({Readable.Plural(group.Values.Count, "category", "categories")}).",
                [group.Name, measure.Name],
                new RecommendedChart(horizontal ? "horizontal_bar" : "bar", group.Name, measure.Name, aggregation, null));
        }

        if (categories.FirstOrDefault() is { } shares)
        {
            var top = shares.Statistics.TopValues[0];
            yield return shares.Values.Count <= 6
                ? new Recommendation(RecommendationTypes.Chart,
                    $"Doughnut chart of {shares.Name} shares: '{top.Value}' leads with {Readable.Share(top.Share)} of {Readable.Count(shares.Statistics.Count)} rows.",
                    [shares.Name], new RecommendedChart("doughnut", shares.Name, null, "count", null))
                : new Recommendation(RecommendationTypes.Chart,
                    $"Bar chart of row counts by {shares.Name} ({Readable.Count(shares.Values.Count)} values; '{top.Value}' leads with {Readable.Share(top.Share)}).",
                    [shares.Name], new RecommendedChart("bar", shares.Name, null, "count", null));
        }

        var distribution = findings.Skews.Select(s => s.Column).FirstOrDefault(n => !IsCode(n))
                           ?? measures.FirstOrDefault(n => n.Statistics.UniqueCount >= 10);
        if (distribution is not null)
        {
            var s = distribution.Statistics;
            yield return new Recommendation(RecommendationTypes.Chart,
                $"Histogram of {distribution.Name} to see its distribution (median {Readable.Number(s.Median!.Value, s.Unit)}, " +
                $"range {Readable.Number(s.Min!.Value, s.Unit)} to {Readable.Number(s.Max!.Value, s.Unit)}).",
                [distribution.Name], new RecommendedChart("histogram", distribution.Name, null, null, null));
        }
    }

    /// <summary>Line charts along the time axis: of the trends, then of the cycles, else of the first measure; adds what it charts.</summary>
    private static IEnumerable<Recommendation> TimeCharts(ColumnProfiles profiles, Findings findings, HashSet<string> charted)
    {
        if (findings.Axis is not { } axis) yield break;
        var unit = ChartUnit(axis);
        var timeUnit = Periods.ChartTimeUnit(unit);
        var noun = Periods.Noun(unit == PeriodUnit.Hour ? PeriodUnit.Day : unit);
        foreach (var trend in findings.Trends.OrderByDescending(t => t.Pattern.Strength).Take(3))
        {
            var y = trend.Column;
            var slope = trend.Fit.Slope;
            charted.Add(y.Name);
            yield return new Recommendation(RecommendationTypes.Chart,
                $"Line chart of {y.Name} by {noun}: it {(slope > 0 ? "rises" : "falls")} about {Readable.Number(Math.Abs(slope), y.Column.Unit)} per {Periods.Noun(axis.Unit)} " +
                $"(R² {Readable.Coefficient(trend.Fit.RSquared)}).",
                [y.Name, axis.Time.Name],
                new RecommendedChart("line", axis.Time.Name, y.Name, Aggregation(y, axis.Aggregated || unit != axis.Unit), timeUnit));
        }
        foreach (var season in findings.Seasonalities.Where(s => !charted.Contains(s.Column.Name)).Take(2))
        {
            // A cycle within a day disappears in a chart by day; the chart API has no hourly unit.
            if (axis.Unit == PeriodUnit.Hour) continue;
            var y = season.Column;
            charted.Add(y.Name);
            yield return new Recommendation(RecommendationTypes.Chart,
                $"Line chart of {y.Name} by {noun} to show its repeating {season.Lag}-{Periods.Noun(axis.Unit)} cycle.",
                [y.Name, axis.Time.Name],
                new RecommendedChart("line", axis.Time.Name, y.Name, Aggregation(y, axis.Aggregated || unit != axis.Unit), timeUnit));
        }
        if (charted.Count == 0 && profiles.Numeric.FirstOrDefault(n => !n.IsConstant && !IsCode(n)) is { } first)
        {
            charted.Add(first.Name);
            yield return new Recommendation(RecommendationTypes.Chart,
                $"Line chart of {first.Name} by {noun} over {axis.Time.Name} ({axis.Time.Statistics.Min} to {axis.Time.Statistics.Max}).",
                [first.Name, axis.Time.Name],
                new RecommendedChart("line", axis.Time.Name, first.Name, Aggregation(first, axis.Aggregated || unit != axis.Unit), timeUnit));
        }
    }

    /// <summary>The series' unit, or a coarser one when a chart would have too many points.</summary>
    private static PeriodUnit ChartUnit(TimeAxis axis)
    {
        var unit = axis.Unit;
        while (unit < PeriodUnit.Year && axis.Time.SpanDays / Periods.Days(unit) > MaxChartPeriods) unit++;
        return unit;
    }

    /// <summary>Sum for measures that add up (currency, counts, totals), mean otherwise; irrelevant with one row per point.</summary>
    private static string Aggregation(NumericProfile measure, bool aggregated)
    {
        if (!aggregated) return "mean";
        var currency = measure.Column.Unit is { Length: 1 } u && char.GetUnicodeCategory(u[0]) == UnicodeCategory.CurrencySymbol;
        return currency || Words(measure.Name).Any(AdditiveWords.Contains) ? "sum" : "mean";
    }

    private static bool IsCode(NumericProfile numeric) => Words(numeric.Name).Any(CodeWords.Contains);

    /// <summary>Lower-case words of a column name: "Cost Total $" → cost, total; "countyId" → county, id.</summary>
    private static IEnumerable<string> Words(string name) =>
        WordPattern().Matches(name).Select(m => m.Value.ToLowerInvariant());

    [GeneratedRegex("[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")]
    private static partial Regex WordPattern();

    private static string SingleValue(ColumnStatistics statistics) => statistics switch
    {
        NumericStatistics n => Readable.Number(n.Min!.Value, n.Unit),
        DatetimeStatistics d => d.Min!,
        BooleanStatistics b => b.TrueCount > 0 ? "true" : "false",
        ValueCountStatistics v => $"'{v.TopValues[0].Value}'",
        _ => "one value",
    };
}
