using System.Globalization;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Statistics;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>A value of a series at a position of the chart's x axis.</summary>
internal readonly record struct SeriesPoint(int Index, string Label, double Value);

/// <summary>The move from one point of a series to the next.</summary>
internal readonly record struct Step(SeriesPoint From, SeriesPoint To, double Difference)
{
    /// <summary>Consecutive points' differences, in order.</summary>
    public static List<Step> Between(IReadOnlyList<SeriesPoint> points)
    {
        var steps = new List<Step>(Math.Max(points.Count - 1, 0));
        for (var i = 1; i < points.Count; i++) steps.Add(new Step(points[i - 1], points[i], points[i].Value - points[i - 1].Value));
        return steps;
    }
}

/// <summary>One series as the facts see it.</summary>
/// <param name="Name">The series name when the chart has several, else null.</param>
/// <param name="Subject">What the series is called in a sentence: "Revenue", "Revenue (North)".</param>
/// <param name="Points">The named points that have a value, in axis order.</param>
/// <param name="Impact">The series' share of the chart, 1 for a single series.</param>
/// <param name="Rest">The folded "Other" value: part of the whole, never a named point.</param>
internal sealed record SeriesData(string? Name, string Subject, IReadOnlyList<SeriesPoint> Points, double Impact, double Rest = 0)
{
    public double[] Values { get; } = Points.Select(p => p.Value).ToArray();

    /// <summary>The whole the shares are of: every named point plus "Other".</summary>
    public double Total => Values.Sum() + Rest;
}

/// <summary>The chart's axis and measure, phrased and measured once.</summary>
internal sealed class ChartView(AggregatedChart chart)
{
    public AggregatedChart Chart { get; } = chart;
    public bool IsHistogram { get; } = chart.ChartType == "histogram";
    public bool IsTime { get; } = chart.XKind == AxisKinds.Time && chart.ChartType != "histogram";
    public bool IsNumeric { get; } = chart.XKind == AxisKinds.Numeric;
    public bool IsCategorical { get; } =
        chart.ChartType is "histogram" or "pie" or "doughnut" || chart.XKind == AxisKinds.Category;
    public bool Additive { get; } = chart.Aggregation is "sum" or "count" || chart.ChartType == "histogram";
    public string? Unit { get; } = chart.Unit;
    public string? TimeUnit { get; } = chart.TimeUnit?.ToLowerInvariant();
    public string XName { get; } = Readable.Lower(Readable.Humanize(chart.XColumn));
    public string Period => TimeUnit is "day" or "week" or "month" or "quarter" or "year" ? TimeUnit : "period";
    public string Periods => Period + "s";

    /// <summary>Whether positions <paramref name="from"/> and <paramref name="to"/> are one period apart on the calendar.</summary>
    public bool Adjacent(int from, int to) =>
        to - from == 1 && (Chart.PeriodStarts is not { } starts || TimeUnit is null || to >= starts.Count
                           || TimeBuckets.Next(starts[from], TimeUnit) == starts[to]);

    /// <summary>False when the axis skips periods (sparse data keeps only the periods that have values).</summary>
    public bool EveryPeriodShown { get; } = chart.PeriodStarts is not { Count: > 1 } starts || chart.TimeUnit is null
        || starts.Zip(starts.Skip(1)).All(p => TimeBuckets.Next(p.First, chart.TimeUnit.ToLowerInvariant()) == p.Second);

    public string Value(double value) => Readable.Compact(value, Unit);
    public string Delta(double difference) => Readable.Delta(difference, Unit);

    /// <summary>Years between two label positions, from the period starts or else from the time unit.</summary>
    public double? YearsBetween(int from, int to)
    {
        if (Chart.PeriodStarts is { } starts && to < starts.Count && from < starts.Count)
        {
            var (a, b) = (starts[from], starts[to]);
            // Calendar months for month-or-longer buckets, so 2019 → 2024 is exactly 5 years.
            if (TimeUnit is "month" or "quarter" or "year")
                return ((b.Year - a.Year) * 12 + b.Month - a.Month + (b.Day - a.Day) / 30.436875) / 12;
            return (b - a).TotalDays / 365.2425;
        }
        double? perPeriod = TimeUnit switch
        {
            "year" => 1, "quarter" => 0.25, "month" => 1 / 12.0, "week" => 7 / 365.2425, "day" => 1 / 365.2425, _ => null,
        };
        return perPeriod * (to - from);
    }

    /// <summary>X positions for a fit: numeric labels when they all parse, else the label index.</summary>
    public double[] Positions(IReadOnlyList<SeriesPoint> points, out bool numeric)
    {
        if (IsNumeric)
        {
            var parsed = points.Select(p => double.TryParse(p.Label.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) ? x : (double?)null).ToList();
            if (parsed.All(x => x is not null && double.IsFinite(x.Value)))
            {
                numeric = true;
                return parsed.Select(x => x!.Value).ToArray();
            }
        }
        numeric = false;
        return points.Select(p => (double)p.Index).ToArray();
    }
}
