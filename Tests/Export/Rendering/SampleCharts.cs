using System.Globalization;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>
/// Aggregated charts computed here from real data (vega-datasets barley and anscombe), the way the aggregator
/// would: sums per group, bins of equal width, raw points.
/// </summary>
public static class SampleCharts
{
    public sealed record BarleyRow(double Yield, string Variety, int Year, string Site);

    public static readonly IReadOnlyList<BarleyRow> Barley = VegaDatasets.Rows("barley.csv")
        .Select(f => new BarleyRow(double.Parse(f[0], CultureInfo.InvariantCulture), f[1], int.Parse(f[2], CultureInfo.InvariantCulture), f[3]))
        .ToList();

    public static IReadOnlyList<string> Sites => Barley.Select(r => r.Site).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Total yield per site: one series.</summary>
    public static AggregatedChart YieldBySite(string chartType) => new(
        chartType, "site", AxisKinds.Category, null, Sites, null,
        [new ChartSeries("yield", Sites.Select(s => (double?)Barley.Where(r => r.Site == s).Sum(r => r.Yield)).ToList())],
        "yield", "sum", null);

    /// <summary>Total yield per site for 1931 and 1932: two series.</summary>
    public static AggregatedChart YieldBySiteAndYear(string chartType) => new(
        chartType, "site", AxisKinds.Category, null, Sites, null,
        new[] { 1931, 1932 }.Select(year => new ChartSeries(year.ToString(CultureInfo.InvariantCulture),
            Sites.Select(s => (double?)Barley.Where(r => r.Site == s && r.Year == year).Sum(r => r.Yield)).ToList())).ToList(),
        "yield", "sum", null);

    /// <summary>Yield in bins of 10 (10–20, 20–30, …): labels and one series of counts.</summary>
    public static AggregatedChart YieldHistogram()
    {
        var low = (int)Math.Floor(Barley.Min(r => r.Yield) / 10) * 10;
        var high = (int)Math.Ceiling(Barley.Max(r => r.Yield) / 10) * 10;
        var starts = Enumerable.Range(0, (high - low) / 10).Select(i => low + i * 10).ToList();
        return new AggregatedChart("histogram", "yield", AxisKinds.Numeric, null,
            starts.Select(s => $"{s}–{s + 10}").ToList(), null,
            [new ChartSeries("count", starts.Select(s => (double?)Barley.Count(r => r.Yield >= s && r.Yield < s + 10)).ToList())],
            "count", "count", null);
    }

    /// <summary>Anscombe's first quartet as scatter points.</summary>
    public static AggregatedChart AnscombeScatter() => new(
        "scatter", "X", AxisKinds.Numeric, null, [], null, [], "Y", "none", null,
        Points: VegaDatasets.Rows("anscombe.csv")
            .Where(f => f[0] == "I")
            .Select(f => new ScatterPoint(double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture)))
            .ToList(),
        YColumn: "Y");

    /// <summary>A chart of every supported type (multi-series where the type allows it).</summary>
    public static AggregatedChart OfType(string chartType) => chartType switch
    {
        "histogram" => YieldHistogram(),
        "scatter" => AnscombeScatter(),
        "pie" or "doughnut" or "horizontal_bar" => YieldBySite(chartType),
        _ => YieldBySiteAndYear(chartType),
    };
}
