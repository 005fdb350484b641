using System.Globalization;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using Plotly.NET;
using PlotlyTrace = Plotly.NET.Trace;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>
/// Turns an <see cref="AggregatedChart"/> into a Plotly.NET figure with the same title, labels, numbers and
/// colours as the frontend's Chart.js chart, styled for export (theme, background, unit ticks).
/// </summary>
/// <remarks>
/// Traces and layout are Plotly.NET's own dynamic objects with plotly.js attribute names: the typed
/// F# helpers (Chart.Column, LinearAxis.init…) take values as IConvertible, which cannot carry the
/// nulls that must stay gaps, and require every optional argument from C#.
/// </remarks>
public static class PlotlyFigureBuilder
{
    /// <summary>Chart.js's default font stack; on Debian it resolves to Liberation Sans, as Arial would.</summary>
    const string FontFamily = "\"Helvetica Neue\", Helvetica, Arial, sans-serif";

    /// <summary>Area fills are the series colour at this opacity so overlapping series stay readable.</summary>
    const double AreaFillOpacity = 0.3;

    public static GenericChart Build(AggregatedChart chart, FigureOptions options)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(options);
        // Without given colours or theme, the frontend's defaults: what a chart with no presentation settings draws.
        var defaults = new ChartPresentation().ResolveFor(chart);
        var palette = options.Colors is { Count: > 0 } ? options.Colors : defaults.Colors;
        var theme = options.Theme ?? defaults.Theme;
        var background = options.TransparentBackground ? "rgba(0,0,0,0)" : theme.Background;

        var traces = chart.ChartType switch
        {
            "bar" or "stacked_bar" => Bars(chart, palette, horizontal: false),
            "horizontal_bar" => Bars(chart, palette, horizontal: true),
            // Bins touch; a hairline in the background colour keeps neighbouring bins apart, as Chart.js's border does.
            "histogram" => Bars(chart, palette, horizontal: false).Take(1)
                .Select(bar => (PlotlyTrace)bar.With("marker", Obj(("color", palette[0]), ("line", Obj(("color", theme.Background), ("width", 1))))))
                .ToList(),
            "line" => Lines(chart, palette, fill: false),
            "area" => Lines(chart, palette, fill: true),
            "pie" => [Pie(chart, palette, background, hole: 0)],
            // Chart.js draws doughnuts with a 50 % cutout.
            "doughnut" => [Pie(chart, palette, background, hole: 0.5)],
            "scatter" => [Scatter(chart, palette)],
            _ => throw new ArgumentException(
                $"Chart type '{chart.ChartType}' is not one of {string.Join(", ", ChartTypes.All)}.", nameof(chart)),
        };

        var layout = FigureLayout(chart, options, theme, background, showLegend: traces.Count > 1 || chart.ChartType is "pie" or "doughnut");
        return GenericChart.setLayout(layout, GenericChart.ofTraceObjects(false, traces));
    }

    /// <summary>Fonts, background, title and the axes of the chart type (none for pies).</summary>
    static Layout FigureLayout(AggregatedChart chart, FigureOptions options, ChartTheme theme, string background, bool showLegend)
    {
        var layout = new Layout()
            .With("font", Obj(("family", FontFamily), ("size", 12), ("color", theme.Text)))
            .With("paper_bgcolor", background)
            .With("plot_bgcolor", background)
            .With("separators", ".,")
            .With("showlegend", showLegend)
            .With("margin", Obj(("t", string.IsNullOrEmpty(options.Title) ? 30 : 70), ("l", 60), ("r", 30), ("b", 50)));
        if (!string.IsNullOrEmpty(options.Title))
            layout.With("title", Obj(("text", PlotlyText(options.Title)), ("x", 0.5), ("xanchor", "center"),
                ("font", Obj(("size", 18), ("color", theme.Text)))));

        var unit = options.Unit ?? chart.Unit;
        switch (chart.ChartType)
        {
            case "pie" or "doughnut":
                break;
            case "scatter":
                layout.With("xaxis", Axis(options.XLabel, theme, category: false, unit: null));
                layout.With("yaxis", Axis(options.YLabel, theme, category: false, unit));
                break;
            case "horizontal_bar":
                // Chart.js puts the first label at the top of a horizontal bar chart; plotly at the bottom.
                layout.With("yaxis", Axis(options.XLabel, theme, category: true, unit: null).With("autorange", "reversed"));
                layout.With("xaxis", Axis(options.YLabel, theme, category: false, unit));
                layout.With("barmode", "group");
                break;
            default:
                layout.With("xaxis", Axis(options.XLabel, theme, category: true, unit: null));
                layout.With("yaxis", Axis(options.YLabel, theme, category: false, unit));
                layout.With("barmode", chart.ChartType == "stacked_bar" ? "stack" : "group");
                // Histogram bins touch: the bars are bins of one continuous range.
                if (chart.ChartType == "histogram") layout.With("bargap", 0);
                break;
        }
        return layout;
    }

    static List<PlotlyTrace> Bars(AggregatedChart chart, IReadOnlyList<string> palette, bool horizontal)
    {
        var categories = Categories(chart);
        return chart.Series.Select((series, i) => (PlotlyTrace)new Trace2D("bar")
                .With("name", PlotlyText(series.Name))
                .With("orientation", horizontal ? "h" : "v")
                .With(horizontal ? "y" : "x", categories)
                .With(horizontal ? "x" : "y", Values(chart, series))
                .With("marker", Obj(("color", palette[i % palette.Count]))))
            .ToList();
    }

    static List<PlotlyTrace> Lines(AggregatedChart chart, IReadOnlyList<string> palette, bool fill)
    {
        var categories = Categories(chart);
        return chart.Series.Select((series, i) =>
            {
                var color = palette[i % palette.Count];
                var trace = new Trace2D("scatter")
                    .With("name", PlotlyText(series.Name))
                    .With("mode", "lines+markers")
                    .With("x", categories)
                    .With("y", Values(chart, series))
                    // A null is a missing bucket: the line breaks there, as Chart.js does without spanGaps.
                    .With("connectgaps", false)
                    .With("line", Obj(("color", color), ("width", 2)))
                    .With("marker", Obj(("color", color), ("size", 6)));
                if (fill) trace.With("fill", "tozeroy").With("fillcolor", WithOpacity(color, AreaFillOpacity));
                return (PlotlyTrace)trace;
            })
            .ToList();
    }

    static PlotlyTrace Pie(AggregatedChart chart, IReadOnlyList<string> palette, string background, double hole)
    {
        // A pie shows one series (the first); Chart.js would nest further series as rings.
        var series = chart.Series.Count > 0
            ? chart.Series[0]
            : throw new ArgumentException($"A {chart.ChartType} chart needs one series of values.", nameof(chart));
        return new TraceDomain("pie")
            .With("name", PlotlyText(series.Name))
            .With("labels", Categories(chart))
            .With("values", Values(chart, series))
            .With("hole", hole > 0 ? hole : null)
            // Keep the label order and Chart.js's clockwise-from-top direction instead of plotly's size sort.
            .With("sort", false)
            .With("direction", "clockwise")
            .With("marker", Obj(
                ("colors", chart.Labels.Select((_, i) => palette[i % palette.Count]).ToArray()),
                ("line", Obj(("color", background), ("width", 1)))));
    }

    static PlotlyTrace Scatter(AggregatedChart chart, IReadOnlyList<string> palette)
    {
        var points = chart.Points ?? [];
        var finite = points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        return new Trace2D("scatter")
            .With("name", PlotlyText(chart.YColumn ?? chart.Measure))
            .With("mode", "markers")
            .With("x", finite.Select(p => p.X).ToArray())
            .With("y", finite.Select(p => p.Y).ToArray())
            .With("text", finite.Any(p => p.Label is not null) ? finite.Select(p => PlotlyText(p.Label) ?? "").ToArray() : null)
            .With("marker", Obj(("color", palette[0]), ("size", 7)));
    }

    static DynamicObj.DynamicObj Axis(string? title, ChartTheme theme, bool category, string? unit)
    {
        var axis = Obj(
            ("type", category ? "category" : "linear"),
            ("automargin", true),
            ("showline", true),
            ("linecolor", theme.MutedText),
            ("showgrid", !category),
            ("gridcolor", theme.Grid),
            ("zeroline", !category),
            ("zerolinecolor", theme.MutedText));
        // A standoff with automargin makes plotly widen the margin for the title instead of drawing it over long tick labels.
        if (!string.IsNullOrEmpty(title)) axis.With("title", Obj(("text", PlotlyText(title)), ("standoff", 12)));
        if (category) return axis;

        // ",~r": thousands separators, up to 6 significant digits, no trailing zeros (1,250,000 / 0.25).
        axis.With("tickformat", ",~r");
        switch (unit)
        {
            case "%":
                axis.With("ticksuffix", "%");
                break;
            case "$" or "€" or "£":
                axis.With("tickprefix", unit);
                break;
            case { Length: > 0 }:
                axis.With("ticksuffix", " " + PlotlyText(unit));
                break;
        }
        return axis;
    }

    static string[] Categories(AggregatedChart chart) => chart.Labels.Select(l => PlotlyText(l) ?? "").ToArray();

    /// <summary>One value per label; null (and NaN/∞, which JSON cannot carry) stays null so plotly leaves a gap.</summary>
    static double?[] Values(AggregatedChart chart, ChartSeries series)
    {
        if (series.Values.Count != chart.Labels.Count)
            throw new ArgumentException(
                $"Series '{series.Name}' has {series.Values.Count} values for {chart.Labels.Count} labels.", nameof(chart));
        return series.Values.Select(v => v is { } d && double.IsFinite(d) ? d : (double?)null).ToArray();
    }

    /// <summary>
    /// Plotly renders a small HTML subset inside text (&lt;b&gt;, &lt;br&gt;, &lt;a href&gt;…) and decodes entities.
    /// Escaping &amp;, &lt; and &gt; makes user text appear literally, as Chart.js draws it, and keeps user
    /// markup out of the SVG. Other characters need no escaping: plotly writes text nodes, not markup.
    /// </summary>
    internal static string? PlotlyText(string? text) =>
        text?.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>"#36a2eb" → "rgba(54,162,235,0.3)"; a colour in another notation is returned unchanged.</summary>
    internal static string WithOpacity(string color, double opacity)
    {
        var hex = color.StartsWith('#') ? color[1..] : "";
        if (hex.Length == 3) hex = string.Concat(hex.Select(c => new string(c, 2)));
        if (hex.Length is not (6 or 8) || !int.TryParse(hex[..6], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
            return color;
        return string.Create(CultureInfo.InvariantCulture,
            $"rgba({(rgb >> 16) & 0xff},{(rgb >> 8) & 0xff},{rgb & 0xff},{opacity})");
    }

    static DynamicObj.DynamicObj Obj(params (string Name, object? Value)[] properties)
    {
        var obj = new DynamicObj.DynamicObj();
        foreach (var (name, value) in properties) obj.With(name, value);
        return obj;
    }

    /// <summary>Sets a plotly.js attribute unless the value is null (null would override plotly's default).</summary>
    static T With<T>(this T obj, string name, object? value) where T : DynamicObj.DynamicObj
    {
        if (value is not null) obj.SetProperty(name, value);
        return obj;
    }
}
