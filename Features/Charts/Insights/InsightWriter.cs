using ChartCraft.Features.Charts.Aggregation;
namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// Turns ranked facts into the statistical answer: the best fact's short form as headline, the best
/// three to five fact sentences as insights, and recommendations that follow from the kinds found.
/// Deterministic: the same chart always reads the same.
/// </summary>
public static class InsightWriter
{
    const int MinInsights = 3;
    const int MaxInsights = 5;
    // Below this score a fact is noise unless it is needed to reach three insights.
    const double WorthTelling = 0.15;

    public static ChartInsights Write(AggregatedChart chart, IReadOnlyList<InsightFact> facts)
    {
        var ranked = facts.OrderByDescending(f => f.Score).ToList();
        if (ranked.Count == 0)
            return new ChartInsights(
                "No data to summarise",
                ["The chart has no values to analyse: every value is missing."],
                ["Check the chosen columns: the y column has no numeric values for these x values."],
                InsightSources.Statistical,
                facts);

        var insights = new List<string>();
        foreach (var fact in ranked)
        {
            if (insights.Count >= MaxInsights) break;
            if (insights.Count >= MinInsights && fact.Score < WorthTelling) break;
            if (!insights.Contains(fact.Text)) insights.Add(fact.Text);
        }
        return new ChartInsights(ranked[0].Headline, insights, Recommend(chart, ranked), InsightSources.Statistical, facts);
    }

    /// <summary>Actions that follow from what was found; at most four, most useful first.</summary>
    static IReadOnlyList<string> Recommend(AggregatedChart chart, IReadOnlyList<InsightFact> ranked)
    {
        var tips = new List<string>();
        var told = ranked.Where(f => f.Score >= WorthTelling).ToList();
        InsightFact? Found(string kind) => told.FirstOrDefault(f => f.Kind == kind);

        if (Found(InsightKinds.Seasonality) is not null)
            tips.Add("Compare each period with the same period a cycle earlier (for example year over year) to separate seasonal swings from real change.");
        if (Found(InsightKinds.Outlier) is { } outlier && outlier.Labels.Count > 0)
            tips.Add($"Check {outlier.Labels[0]} for a data error or a one-off event before drawing conclusions from it.");
        else if (Found(InsightKinds.Outlier) is not null)
            tips.Add("Check the outlying points for data errors or one-off events before drawing conclusions from them.");
        if (Found(InsightKinds.Trend) is { } trend && trend.Figures.TryGetValue("r_squared", out var r2) && r2 >= 0.7 && chart.XKind == AxisKinds.Time)
            tips.Add("The trend is steady: add a trend line or a simple forecast to show where it is heading.");
        if (Found(InsightKinds.BiggestMove) is { } move && move.Labels.Count == 2)
            tips.Add($"Find out what happened between {move.Labels[0]} and {move.Labels[1]}, the sharpest change in the series.");
        if (Found(InsightKinds.Concentration) is { } concentration && concentration.Value >= 70)
            tips.Add("Most of the total sits in a few categories: watch the dependence on them, or group the long tail as \"Other\".");
        if (Found(InsightKinds.Correlation) is not null)
            tips.Add("Correlation is not causation: look for a third factor that could drive both before acting on this relationship.");
        if (Found(InsightKinds.SeriesLeader) is { } leader && leader.Labels.Count == 2)
            tips.Add($"Look at what sets {leader.Labels[0]} apart from {leader.Labels[1]}; its approach may carry over.");
        if (chart.ChartType is "pie" or "doughnut" && chart.Labels.Count > 6)
            tips.Add("A bar chart compares this many categories more clearly than a pie; or group the smallest slices as \"Other\".");
        if (tips.Count == 0)
            tips.Add("Add context such as a target or the previous period's figures so readers can judge whether these values are good.");
        return tips.Take(4).ToList();
    }
}
