using ChartCraft.Features.Charts.ChartJs;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>
/// How an exported figure looks beyond its numbers: the same title, axis labels and palette as the
/// frontend chart, plus the export-only theme and background choice.
/// </summary>
/// <param name="Title">Chart title; null or empty draws none.</param>
/// <param name="XLabel">Title of the category (dimension) axis, whichever way it points; for scatter the x axis.</param>
/// <param name="YLabel">Title of the value (measure) axis, whichever way it points; for scatter the y axis.</param>
/// <param name="Colors">CSS colours (hex) in series order, or slice order for pie and doughnut (the Chart.js config's colours); empty uses the default palette.</param>
/// <param name="Theme">Background, text and grid colours: the chart's (<see cref="ResolvedPresentation.Theme"/>), light when null.</param>
/// <param name="TransparentBackground">Paper and plot area transparent (PNG keeps an alpha channel).</param>
/// <param name="Unit">Unit of the measure: "%" adds a % suffix to ticks, "$", "€", "£" a prefix; null uses <see cref="Features.Charts.AggregatedChart.Unit"/>.</param>
public sealed record FigureOptions(
    string? Title = null,
    string? XLabel = null,
    string? YLabel = null,
    IReadOnlyList<string>? Colors = null,
    ChartTheme? Theme = null,
    bool TransparentBackground = false,
    string? Unit = null);

