using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Tests.Charts.Insights;

/// <summary>Aggregated charts built by hand, as the aggregator would hand them over.</summary>
static class SampleCharts
{
    public static AggregatedChart Quarterly(string? unit, params double?[] values) => new(
        "line", "order_date", AxisKinds.Time, "quarter",
        ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"],
        [new DateTime(2024, 1, 1), new DateTime(2024, 4, 1), new DateTime(2024, 7, 1), new DateTime(2024, 10, 1)],
        [new ChartSeries("revenue", values)], "revenue", "sum", unit);

    public static AggregatedChart Yearly(string measure, string aggregation, string? unit, int firstYear, params double?[] values) => new(
        "line", "year", AxisKinds.Time, "year",
        values.Select((_, i) => (firstYear + i).ToString()).ToList(),
        values.Select((_, i) => new DateTime(firstYear + i, 1, 1)).ToList(),
        [new ChartSeries(measure, values)], measure, aggregation, unit);

    public static AggregatedChart Monthly(string measure, string? unit, IReadOnlyList<double?> values, DateTime? start = null,
        string chartType = "line", string aggregation = "sum")
    {
        var first = start ?? new DateTime(2020, 1, 1);
        var starts = values.Select((_, i) => first.AddMonths(i)).ToList();
        return new AggregatedChart(chartType, "month", AxisKinds.Time, "month",
            starts.Select(d => d.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            starts, [new ChartSeries(measure, values)], measure, aggregation, unit);
    }

    public static AggregatedChart Categories(string chartType, string xColumn, string measure, string aggregation, string? unit,
        params (string Label, double? Value)[] bars) => new(
        chartType, xColumn, AxisKinds.Category, null,
        bars.Select(b => b.Label).ToList(), null,
        [new ChartSeries(measure, bars.Select(b => b.Value).ToList())], measure, aggregation, unit);

    public static AggregatedChart Scatter(string x, string y, IReadOnlyList<(double X, double Y)> points, string? unit = null) => new(
        "scatter", x, AxisKinds.Numeric, null, [], null, [], y, "none", unit,
        points.Select(p => new ScatterPoint(p.X, p.Y)).ToList(), y);
}
