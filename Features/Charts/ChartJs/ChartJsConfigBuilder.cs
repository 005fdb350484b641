using System.Globalization;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Features.Charts.ChartJs;

/// <summary>
/// Builds a complete Chart.js 4 configuration from an aggregated chart. The result is plain JSON: no
/// callbacks, no date adapter, no NaN or Infinity, so a frontend can pass it to <c>new Chart(canvas, config)</c>
/// unchanged. Hints that need code on the client (number format, label truncation) go under
/// <c>options.plugins.chartcraft</c>, which Chart.js ignores when no such plugin is registered.
/// </summary>
public static partial class ChartJsConfigBuilder
{
    /// <summary>Lines with more points than this are drawn without point markers (they would merge into a band).</summary>
    public const int PointMarkerLimit = 200;

    /// <summary>Labels longer than this are worth truncating on the client (the hint says so).</summary>
    public const int LongLabel = 24;

    public static JsonObject Build(AggregatedChart chart, ChartPresentation? presentation = null)
    {
        var p = presentation ?? new ChartPresentation();
        var theme = Palettes.Theme(p.Theme);
        var type = chart.ChartType;
        var stacked = type == ChartTypes.StackedBar
                      || (p.Stacked == true && type is ChartTypes.Bar or ChartTypes.HorizontalBar or ChartTypes.Line or ChartTypes.Area)
                      || (type == ChartTypes.Histogram && chart.Series.Count > 1 && p.Stacked != false);

        var data = type == ChartTypes.Scatter ? ScatterData(chart, p) : SeriesData(chart, p, theme, stacked);
        var values = AllValues(data).ToList();

        var options = new JsonObject
        {
            ["responsive"] = true,
            ["maintainAspectRatio"] = true,
            ["aspectRatio"] = AspectRatio(chart),
        };
        if (type == ChartTypes.HorizontalBar) options["indexAxis"] = "y";
        if (!ChartTypes.IsPieLike(type))
            options["interaction"] = type == ChartTypes.Scatter
                ? new JsonObject { ["mode"] = "nearest", ["intersect"] = true }
                : new JsonObject { ["mode"] = "index", ["intersect"] = false };

        var logValueAxis = UseLogScale(type, stacked, values);
        options["plugins"] = Plugins(chart, p, theme, ((JsonArray)data["datasets"]!).Count, values, logValueAxis);
        if (!ChartTypes.IsPieLike(type)) options["scales"] = Scales(chart, p, theme, stacked, values, logValueAxis);

        return new JsonObject
        {
            ["type"] = type switch
            {
                ChartTypes.Bar or ChartTypes.HorizontalBar or ChartTypes.StackedBar or ChartTypes.Histogram => "bar",
                ChartTypes.Line or ChartTypes.Area => "line",
                _ => type,
            },
            ["data"] = data,
            ["options"] = options,
        };
    }

    // ---------------------------------------------------------------- data

    static JsonObject SeriesData(AggregatedChart chart, ChartPresentation p, ChartTheme theme, bool stacked)
    {
        var type = chart.ChartType;
        var labels = new JsonArray(chart.Labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
        var datasets = new JsonArray();

        if (ChartTypes.IsPieLike(type))
        {
            var series = chart.Series[0];
            var colors = Palettes.Resolve(p.Colors, chart.Labels.Count);
            datasets.Add(new JsonObject
            {
                ["label"] = SeriesLabel(chart, series),
                ["data"] = Numbers(series.Values),
                ["backgroundColor"] = new JsonArray(colors.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
                ["borderColor"] = theme.Background,
                ["borderWidth"] = chart.Labels.Count > 20 ? 1 : 2,
            });
            return new JsonObject { ["labels"] = labels, ["datasets"] = datasets };
        }

        var palette = Palettes.Resolve(p.Colors, chart.Series.Count);
        var pointRadius = chart.Labels.Count > PointMarkerLimit ? 0 : chart.Labels.Count > 50 ? 2 : 3;
        for (var i = 0; i < chart.Series.Count; i++)
        {
            var series = chart.Series[i];
            var color = Palettes.Parse(palette[i]);
            var dataset = new JsonObject
            {
                ["label"] = SeriesLabel(chart, series),
                ["data"] = Numbers(series.Values),
            };
            Style(dataset, chart, i, color, theme, stacked, pointRadius);
            datasets.Add(dataset);
        }
        return new JsonObject { ["labels"] = labels, ["datasets"] = datasets };
    }

    /// <summary>Colours, borders and markers of one series' dataset, by chart type.</summary>
    static void Style(JsonObject dataset, AggregatedChart chart, int index, RgbColor color, ChartTheme theme, bool stacked, int pointRadius)
    {
        switch (chart.ChartType)
        {
            case ChartTypes.Line or ChartTypes.Area:
                var area = chart.ChartType == ChartTypes.Area;
                dataset["borderColor"] = color.Hex;
                dataset["backgroundColor"] = area ? color.WithAlpha(stacked ? 0.6 : 0.3) : color.Hex;
                dataset["borderWidth"] = 2;
                // Stacked areas fill down to the series below; overlapping ones to the axis.
                dataset["fill"] = area ? (stacked && index > 0 ? "-1" : "origin") : false;
                dataset["pointRadius"] = pointRadius;
                dataset["pointHoverRadius"] = pointRadius + 2;
                dataset["tension"] = 0;
                dataset["spanGaps"] = false; // a missing period shows as a gap, not as an invented line
                if (stacked) dataset["stack"] = "total";
                break;
            case ChartTypes.Histogram:
                dataset["backgroundColor"] = chart.Series.Count > 1 && !stacked ? color.WithAlpha(0.6) : color.Hex;
                dataset["borderColor"] = theme.Background; // thin separators between touching bins
                dataset["borderWidth"] = 1;
                dataset["barPercentage"] = 1;
                dataset["categoryPercentage"] = 1;
                if (stacked) dataset["stack"] = "total";
                break;
            default:
                dataset["backgroundColor"] = color.Hex;
                dataset["borderColor"] = color.Hex;
                dataset["borderWidth"] = 1;
                if (stacked) dataset["stack"] = "total";
                break;
        }
    }

    static JsonObject ScatterData(AggregatedChart chart, ChartPresentation p)
    {
        var points = chart.Points ?? [];
        var groups = chart.Series.Count > 0
            ? chart.Series.Select(s => (Name: s.Name, Points: points.Where(pt => pt.Label == s.Name).ToList())).ToList()
            : [(Name: chart.YColumn ?? chart.Measure, Points: points.ToList())];
        var palette = Palettes.Resolve(p.Colors, groups.Count);
        // Markers shrink as points multiply so that dense clouds still show their structure.
        var radius = points.Count > 1000 ? 2 : points.Count > 200 ? 3 : 4;
        var datasets = new JsonArray();
        for (var i = 0; i < groups.Count; i++)
        {
            var color = Palettes.Parse(palette[i]);
            var data = new JsonArray();
            foreach (var pt in groups[i].Points)
                if (Number(pt.X) is { } x && Number(pt.Y) is { } y)
                    data.Add(new JsonObject { ["x"] = x, ["y"] = y });
            datasets.Add(new JsonObject
            {
                ["label"] = groups[i].Name,
                ["data"] = data,
                ["backgroundColor"] = color.WithAlpha(points.Count > 200 ? 0.5 : 0.8),
                ["borderColor"] = color.Hex,
                ["borderWidth"] = 1,
                ["pointRadius"] = radius,
                ["pointHoverRadius"] = radius + 2,
            });
        }
        return new JsonObject { ["datasets"] = datasets };
    }

    /// <summary>
    /// Axis titles: the requested labels, else the x column (with its time unit) and "aggregation of measure".
    /// Exported figures get them through <see cref="ChartPresentation.ResolveFor"/>.
    /// </summary>
    internal static (string X, string Y) AxisTitles(AggregatedChart chart, ChartPresentation p) =>
        chart.ChartType == ChartTypes.Scatter
            ? (p.XLabel ?? chart.XColumn, p.YLabel ?? chart.YColumn ?? chart.Measure)
            : (p.XLabel ?? (chart.TimeUnit is { } unit && !string.Equals(chart.XColumn, unit, StringComparison.OrdinalIgnoreCase)
                   ? $"{chart.XColumn} ({unit})" : chart.XColumn),
               p.YLabel ?? (chart.ChartType == ChartTypes.Histogram ? "count" : chart.MeasureName()));

    /// <summary>The colours the config uses: one per slice for pies, one per series (or scatter group) otherwise.</summary>
    internal static IReadOnlyList<string> Colors(AggregatedChart chart, ChartPresentation p) =>
        Palettes.Resolve(p.Colors, ChartTypes.IsPieLike(chart.ChartType) ? chart.Labels.Count
            : chart.ChartType == ChartTypes.Scatter ? Math.Max(1, chart.Series.Count)
            : chart.Series.Count);

    static string SeriesLabel(AggregatedChart chart, ChartSeries series) =>
        chart.ChartType == ChartTypes.Histogram && chart.Series.Count == 1 ? $"count of {chart.XColumn}"
        : chart.Series.Count == 1 && series.Name == chart.Measure ? chart.MeasureName()
        : series.Name;

    // ---------------------------------------------------------------- plugins and hints

    static JsonObject Plugins(AggregatedChart chart, ChartPresentation p, ChartTheme theme, int datasetCount, List<double> values,
        bool logValueAxis)
    {
        var type = chart.ChartType;
        return new JsonObject
        {
            ["title"] = new JsonObject
            {
                ["display"] = !string.IsNullOrWhiteSpace(p.Title),
                ["text"] = p.Title ?? "",
                ["color"] = theme.Text,
                ["font"] = new JsonObject { ["size"] = 16 },
            },
            ["legend"] = new JsonObject
            {
                ["display"] = datasetCount > 1 || ChartTypes.IsPieLike(type),
                ["position"] = "top",
                ["labels"] = new JsonObject { ["color"] = theme.Text },
            },
            ["tooltip"] = new JsonObject
            {
                ["enabled"] = true,
                ["mode"] = ChartTypes.IsPieLike(type) ? "point" : type == ChartTypes.Scatter ? "nearest" : "index",
                ["intersect"] = ChartTypes.IsPieLike(type) || type == ChartTypes.Scatter,
            },
            ["chartcraft"] = Hints(chart, theme, values, logValueAxis),
        };
    }

    static JsonObject Hints(AggregatedChart chart, ChartTheme theme, List<double> values, bool log)
    {
        var hints = new JsonObject
        {
            ["unit"] = chart.Unit,
            ["format"] = Format(chart.Unit, values),
            ["measure"] = chart.Measure,
            ["aggregation"] = chart.Aggregation,
            ["x_column"] = chart.XColumn,
            ["x_kind"] = chart.XKind,
            ["time_unit"] = chart.TimeUnit,
            ["point_count"] = chart.Points?.Count ?? chart.Labels.Count * Math.Max(1, chart.Series.Count),
            ["log_scale"] = log,
            ["background"] = theme.Background,
            ["text_color"] = theme.Text,
        };
        if (chart.Labels.Count > 0 && chart.Labels.Max(l => l.Length) > LongLabel) hints["truncate_labels"] = LongLabel;
        return hints;
    }

    /// <summary>"percent" for %, "currency" for money symbols, "thousands" for large numbers, else "number".</summary>
    public static string Format(string? unit, IReadOnlyCollection<double> values)
    {
        if (unit == "%") return "percent";
        if (unit is "$" or "€" or "£" or "¥" or "₹" or "₩" or "CHF" or "USD" or "EUR" or "GBP" or "JPY") return "currency";
        return values.Count > 0 && values.Max(Math.Abs) >= 1000 ? "thousands" : "number";
    }

    // ---------------------------------------------------------------- numbers

    static JsonArray Numbers(IEnumerable<double?> values) =>
        new(values.Select(v => v is { } d && Number(d) is { } n ? (JsonNode?)JsonValue.Create(n) : null).ToArray());

    /// <summary>A finite value rounded to 12 significant digits (so 0.1 + 0.2 prints as 0.3), or null.</summary>
    static double? Number(double v) =>
        double.IsFinite(v) ? double.Parse(v.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : null;

    static IEnumerable<double> AllValues(JsonObject data)
    {
        foreach (var dataset in (JsonArray)data["datasets"]!)
        foreach (var value in (JsonArray)dataset!["data"]!)
            switch (value)
            {
                case JsonValue v when v.TryGetValue<double>(out var d):
                    yield return d;
                    break;
                case JsonObject o when o["y"] is JsonValue y && y.TryGetValue<double>(out var d):
                    yield return d;
                    break;
            }
    }
}
