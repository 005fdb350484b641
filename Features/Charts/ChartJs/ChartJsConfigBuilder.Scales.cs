using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Features.Charts.ChartJs;

/// <summary>The axes of a Chart.js config: scale types, titles, tick density and where the value axis starts.</summary>
public static partial class ChartJsConfigBuilder
{
    static JsonObject Scales(AggregatedChart chart, ChartPresentation p, ChartTheme theme, bool stacked, List<double> values, bool logValueAxis)
    {
        var type = chart.ChartType;
        if (type == ChartTypes.Scatter)
        {
            var points = chart.Points ?? [];
            var xs = points.Select(pt => pt.X).Where(double.IsFinite).ToList();
            var ys = points.Select(pt => pt.Y).Where(double.IsFinite).ToList();
            return new JsonObject
            {
                ["x"] = ValueAxis(xs, UseLogScale(type, false, xs) ? "logarithmic" : "linear", AxisTitles(chart, p).X, theme, false, false),
                ["y"] = ValueAxis(ys, UseLogScale(type, false, ys) ? "logarithmic" : "linear", AxisTitles(chart, p).Y, theme, false, false),
            };
        }

        var (xTitle, yTitle) = AxisTitles(chart, p);
        var zeroBased = type is ChartTypes.Bar or ChartTypes.HorizontalBar or ChartTypes.StackedBar or ChartTypes.Histogram or ChartTypes.Area;
        var categoryAxis = CategoryAxis(chart, xTitle, theme, stacked);
        var valueAxis = ValueAxis(values, logValueAxis ? "logarithmic" : "linear", yTitle, theme, zeroBased, stacked);
        return type == ChartTypes.HorizontalBar
            ? new JsonObject { ["x"] = valueAxis, ["y"] = categoryAxis }
            : new JsonObject { ["x"] = categoryAxis, ["y"] = valueAxis };
    }

    static JsonObject CategoryAxis(AggregatedChart chart, string title, ChartTheme theme, bool stacked)
    {
        var count = chart.Labels.Count;
        var longest = chart.Labels.Count == 0 ? 0 : chart.Labels.Max(l => l.Length);
        var bars = chart.ChartType is not (ChartTypes.Line or ChartTypes.Area);
        // Bars name every category when there are few; lines and long axes let Chart.js skip ticks.
        var showAll = bars && count <= 30;
        var horizontal = chart.ChartType == ChartTypes.HorizontalBar;
        var ticks = new JsonObject
        {
            ["color"] = theme.MutedText,
            ["autoSkip"] = !showAll,
            ["maxTicksLimit"] = showAll ? Math.Max(count, 1) : bars ? 30 : 12,
        };
        if (!horizontal)
        {
            ticks["maxRotation"] = longest > 10 || count > 15 ? 45 : 0;
            ticks["minRotation"] = 0;
        }
        return new JsonObject
        {
            ["type"] = "category",
            ["stacked"] = stacked,
            ["title"] = AxisTitle(title, theme),
            ["ticks"] = ticks,
            ["grid"] = new JsonObject { ["color"] = theme.Grid, ["display"] = !bars },
        };
    }

    static JsonObject ValueAxis(List<double> values, string scaleType, string title, ChartTheme theme, bool zeroBased, bool stacked)
    {
        var axis = new JsonObject
        {
            ["type"] = scaleType,
            ["stacked"] = stacked,
            ["title"] = AxisTitle(title, theme),
            ["ticks"] = new JsonObject { ["color"] = theme.MutedText, ["maxTicksLimit"] = 8 },
            ["grid"] = new JsonObject { ["color"] = theme.Grid },
        };
        if (scaleType == "logarithmic" || values.Count == 0)
        {
            if (zeroBased && scaleType != "logarithmic") axis["beginAtZero"] = true;
            return axis;
        }
        double min = values.Min(), max = values.Max();
        if (zeroBased)
        {
            axis["beginAtZero"] = true;
        }
        else if (min >= 0 && min <= 0.5 * max)
        {
            // Zero is near: starting there avoids exaggerating small changes.
            axis["beginAtZero"] = true;
        }
        else if (max <= 0 && max >= 0.5 * min)
        {
            axis["suggestedMax"] = 0;
        }
        else
        {
            // Far from zero: a 5 % margin, so the line does not touch the frame, without stretching the change.
            var margin = max > min ? 0.05 * (max - min) : Math.Abs(max) * 0.05 + (max == 0 ? 1 : 0);
            axis["suggestedMin"] = Number(min - margin);
            axis["suggestedMax"] = Number(max + margin);
        }
        return axis;
    }

    static JsonObject AxisTitle(string text, ChartTheme theme) => new()
    {
        ["display"] = !string.IsNullOrWhiteSpace(text),
        ["text"] = text,
        ["color"] = theme.Text,
    };

    /// <summary>
    /// A log axis only where it clarifies: values all positive and spanning at least 3 orders of magnitude,
    /// and never for bars that stack, areas (filled to an origin a log axis lacks) or histogram counts.
    /// </summary>
    static bool UseLogScale(string type, bool stacked, List<double> values)
    {
        if (stacked || type is not (ChartTypes.Bar or ChartTypes.HorizontalBar or ChartTypes.Line or ChartTypes.Scatter)) return false;
        if (values.Count < 2 || values.Any(v => v <= 0)) return false;
        return values.Max() / values.Min() >= 1000;
    }

    static double AspectRatio(AggregatedChart chart) => chart.ChartType switch
    {
        ChartTypes.Pie or ChartTypes.Doughnut => 1.5,
        // Many horizontal bars need height: keep about 24 px per bar on an 800 px wide chart.
        ChartTypes.HorizontalBar when chart.Labels.Count > 12 => Math.Round(Math.Max(0.6, 24.0 / chart.Labels.Count), 2),
        _ => 2,
    };
}
