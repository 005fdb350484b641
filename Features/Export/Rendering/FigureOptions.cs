namespace ChartCraft.Features.Export.Rendering;

/// <summary>Light or dark chart colours (background, text, grid).</summary>
public enum ChartTheme
{
    Light,
    Dark,
}

/// <summary>
/// How an exported figure looks beyond its numbers: the same title, axis labels and palette as the
/// frontend chart, plus the export-only theme and background choice.
/// </summary>
/// <param name="Title">Chart title; null or empty draws none.</param>
/// <param name="XLabel">Title of the category (dimension) axis, whichever way it points; for scatter the x axis.</param>
/// <param name="YLabel">Title of the value (measure) axis, whichever way it points; for scatter the y axis.</param>
/// <param name="Colors">CSS colours (hex) in series order, or slice order for pie and doughnut; empty uses <see cref="ChartPalette.Default"/>.</param>
/// <param name="Theme">Background, text and grid colours.</param>
/// <param name="TransparentBackground">Paper and plot area transparent (PNG keeps an alpha channel).</param>
/// <param name="Unit">Unit of the measure: "%" adds a % suffix to ticks, "$", "€", "£" a prefix; null uses <see cref="Features.Charts.AggregatedChart.Unit"/>.</param>
public sealed record FigureOptions(
    string? Title = null,
    string? XLabel = null,
    string? YLabel = null,
    IReadOnlyList<string>? Colors = null,
    ChartTheme Theme = ChartTheme.Light,
    bool TransparentBackground = false,
    string? Unit = null);

/// <summary>The colours a theme gives the parts of a figure that are not data.</summary>
public sealed record ThemeColors(string Background, string Text, string Grid, string AxisLine)
{
    public static readonly ThemeColors Light = new("#ffffff", "#374151", "#e5e7eb", "#d1d5db");
    public static readonly ThemeColors Dark = new("#111827", "#e5e7eb", "#374151", "#4b5563");

    public static ThemeColors For(ChartTheme theme) => theme == ChartTheme.Dark ? Dark : Light;
}

/// <summary>The fallback series palette when the caller passes none.</summary>
public static class ChartPalette
{
    /// <summary>Chart.js 4's built-in colours, so an export without a palette still matches an unstyled frontend chart.</summary>
    public static readonly IReadOnlyList<string> Default =
        ["#36a2eb", "#ff6384", "#4bc0c0", "#ff9f40", "#9966ff", "#ffcd56", "#c9cbcf"];
}
