using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Features.Charts.ChartJs;

/// <summary>How a chart looks, apart from its numbers: title, axis titles, colours, theme, stacking.</summary>
/// <param name="Title">Shown above the chart; none when null.</param>
/// <param name="XLabel">x axis title; the column name when null.</param>
/// <param name="YLabel">y axis title; "aggregation of measure" when null.</param>
/// <param name="Colors">A palette name or colour list; the colour-blind-safe categorical palette when null.</param>
/// <param name="Theme">"light" (white background) or "dark" (#1e1e1e).</param>
/// <param name="Stacked">Stack series on top of each other; stacked_bar always stacks.</param>
public sealed record ChartPresentation(
    string? Title = null,
    string? XLabel = null,
    string? YLabel = null,
    ColorScheme? Colors = null,
    string Theme = "light",
    bool? Stacked = null)
{
    /// <summary>The presentation a chart request asks for.</summary>
    public static ChartPresentation From(string? title, ChartRequestConfig config, string theme = "light") =>
        new(title, config.XLabel, config.YLabel, config.ColorScheme, theme, config.Stacked);

    /// <summary>
    /// What the Chart.js config of <paramref name="chart"/> draws with this presentation: its titles, colours and theme.
    /// The one entry point for other renderers (export), so their figures look like the frontend chart.
    /// </summary>
    public ResolvedPresentation ResolveFor(AggregatedChart chart)
    {
        var (xTitle, yTitle) = ChartJsConfigBuilder.AxisTitles(chart, this);
        return new ResolvedPresentation(Title, xTitle, yTitle, ChartJsConfigBuilder.Colors(chart, this), Palettes.Theme(Theme));
    }
}

/// <summary>A presentation resolved against one chart's numbers.</summary>
/// <param name="Title">Shown above the chart; none when null.</param>
/// <param name="XTitle">Title of the category (dimension) axis, whichever way it points; for scatter the x axis.</param>
/// <param name="YTitle">Title of the value (measure) axis, whichever way it points; for scatter the y axis.</param>
/// <param name="Colors">One colour per slice for pies, per series (or scatter group) otherwise.</param>
/// <param name="Theme">Background, text and grid colours.</param>
public sealed record ResolvedPresentation(string? Title, string XTitle, string YTitle, IReadOnlyList<string> Colors, ChartTheme Theme);
