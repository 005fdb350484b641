using ChartCraft.Features.Charts.Aggregation;
namespace ChartCraft.Features.Charts.Insights;

/// <summary>Rule-based tips that make a chart clearer; the answer when OpenAI is off or fails.</summary>
public static class ChartOptimizationRules
{
    // Beyond about six slices people can no longer compare angles (Cleveland and McGill, 1984).
    const int MaxPieSlices = 6;
    // Past this many bars a category axis gets crowded and labels overlap at common widths.
    const int CrowdedCategories = 12;
    // Past this many points a bar per period is a comb; a line reads better.
    const int DenseTimeBars = 24;
    // Labels longer than this overlap when written under vertical bars.
    const int LongLabel = 15;

    public static IReadOnlyList<string> Tips(AggregatedChart chart)
    {
        var tips = new List<string>();
        var count = chart.Points?.Count ?? chart.Labels.Count;
        var negative = chart.Series.Any(s => s.Values.Any(v => v < 0));

        if (chart.ChartType is "pie" or "doughnut")
        {
            if (negative)
                tips.Add("A pie cannot show negative values: use a bar chart instead.");
            else if (count > MaxPieSlices)
                tips.Add($"With {count} slices the pie is hard to read: keep the largest few and group the rest as \"Other\", or use a bar chart.");
            if (chart.Series.Count > 1)
                tips.Add("A pie shows one series: use a stacked or grouped bar chart to compare several.");
        }
        if (chart.ChartType is "bar" or "stacked_bar" && chart.XKind == AxisKinds.Time && count > DenseTimeBars)
            tips.Add($"{count} bars over time read better as a line chart, which shows the trend at a glance.");
        if (chart.ChartType is "line" or "area" && chart.XKind == AxisKinds.Category)
            tips.Add("A line implies an order between points: for unordered categories a bar chart is more honest.");
        if (chart.XKind == AxisKinds.Category && chart.ChartType is "bar" or "horizontal_bar" or "stacked_bar")
        {
            if (count > CrowdedCategories)
                tips.Add($"{count} categories crowd the axis: show the top ones and group the rest as \"Other\".");
            if (chart.Series.Count == 1 && !IsSortedDescending(chart.Series[0].Values))
                tips.Add("Sort the bars from largest to smallest so the ranking is visible at once.");
            if (chart.ChartType == "bar" && chart.Labels.Any(l => l.Length > LongLabel))
                tips.Add("Long category names fit better on a horizontal bar chart.");
        }
        if (chart.Series.Count > 5 && chart.ChartType is "line" or "area" or "bar" or "stacked_bar")
            tips.Add($"{chart.Series.Count} series are hard to tell apart: highlight the one or two that matter and grey the rest, or split into small multiples.");
        if (chart.ChartType is "scatter" && count > 1000)
            tips.Add("Many points overlap: make the markers smaller and partly transparent so dense areas stand out.");
        // Not advised: what the generated config already does (bars and areas start at zero, missing periods are gaps).
        if (!string.IsNullOrEmpty(chart.Unit))
            tips.Add($"Put the unit ({chart.Unit}) in the axis title or tick labels so readers know what the values mean.");
        tips.Add("Use a title that states the main finding, not just the names of the columns.");
        return tips.Take(5).ToList();
    }

    static bool IsSortedDescending(IReadOnlyList<double?> values)
    {
        double? previous = null;
        foreach (var value in values)
        {
            if (value is not { } v) continue;
            if (previous is { } p && v > p) return false;
            previous = v;
        }
        return true;
    }
}
