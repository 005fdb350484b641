using ChartCraft.Features.Statistics;

namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>How the x axis of an aggregated chart is keyed.</summary>
public static class AxisKinds
{
    public const string Time = "time";
    public const string Category = "category";
    public const string Numeric = "numeric";
}

/// <summary>
/// The numbers a chart shows after grouping, aggregation, bucketing and down-sampling. It is the one
/// source for the Chart.js config, the exported figure and the insight facts, so all three agree.
/// </summary>
/// <param name="ChartType">bar, horizontal_bar, stacked_bar, line, area, pie, doughnut, scatter, histogram.</param>
/// <param name="XColumn">Column on the x axis (for histograms: the measured column).</param>
/// <param name="XKind">One of <see cref="AxisKinds"/>.</param>
/// <param name="TimeUnit">day, week, month, quarter or year when <paramref name="XKind"/> is time.</param>
/// <param name="Labels">One label per x position, already formatted for people.</param>
/// <param name="PeriodStarts">For time axes: the start of each bucket, aligned with <paramref name="Labels"/>.</param>
/// <param name="Series">One or more series, each with one value per label (null = no data).</param>
/// <param name="Measure">The y column name, or "count" for counts.</param>
/// <param name="Aggregation">sum, mean, count, min, max or median.</param>
/// <param name="Unit">"%", "$"... of the measure, when known.</param>
/// <param name="Points">Scatter points (x, y) instead of labels/series.</param>
/// <param name="YColumn">For scatter: the y column name.</param>
/// <param name="LastIsOther">The last label is "Other": the categories beyond the top N folded together.</param>
public sealed record AggregatedChart(
    string ChartType,
    string XColumn,
    string XKind,
    string? TimeUnit,
    IReadOnlyList<string> Labels,
    IReadOnlyList<DateTime>? PeriodStarts,
    IReadOnlyList<ChartSeries> Series,
    string Measure,
    string Aggregation,
    string? Unit,
    IReadOnlyList<ScatterPoint>? Points = null,
    string? YColumn = null,
    bool LastIsOther = false)
{
    /// <summary>
    /// What the measure is called, in the chart's legend and axis title and in its insights: "Revenue", "Average price",
    /// "Number of rows".
    /// </summary>
    public string MeasureName()
    {
        // A count of rows has the measure "count"; a column that happens to be named "count" (flights per route) is summed.
        var isCount = Measure.Length == 0
                      || (Aggregation == Aggregations.Count && string.Equals(Measure, Aggregations.Count, StringComparison.OrdinalIgnoreCase));
        var name = isCount ? "Number of rows" : Readable.Humanize(Measure);
        var lower = Readable.Lower(name);
        return Aggregation switch
        {
            Aggregations.Mean or "avg" or "average" => $"Average {lower}",
            Aggregations.Median => $"Median {lower}",
            Aggregations.Min => $"Minimum {lower}",
            Aggregations.Max => $"Maximum {lower}",
            Aggregations.Count when !isCount => $"Count of {lower}",
            _ => name,
        };
    }
}

/// <summary>A named series with one value per label.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double?> Values);

/// <summary>A scatter point; <paramref name="Label"/> is an optional row label for tooltips.</summary>
public sealed record ScatterPoint(double X, double Y, string? Label = null);
