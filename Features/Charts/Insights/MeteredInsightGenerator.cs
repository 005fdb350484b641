using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Plans;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// Counts the insights OpenAI writes for a user against the plan's ai_insights_per_day (429 when they are used up).
/// Only answers with <c>source: "openai"</c> count: a statistical fallback (OpenAI failed, timed out, or the chart has no
/// facts to word) gives its unit back. The user is the caller of the request (create, update, and any other endpoint
/// that drafts a chart with insights); work outside a request (a background regeneration) is not metered. Used only
/// while OpenAI is on: the statistical engine is free.
/// </summary>
public sealed class MeteredInsightGenerator(IInsightGenerator engine, PlanEnforcement plans, IHttpContextAccessor http) : IInsightGenerator
{
    public async Task<ChartInsights> GenerateAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default)
    {
        if (http.HttpContext?.User is not { Identity.IsAuthenticated: true } caller)
            return await engine.GenerateAsync(chart, title, cancellationToken);
        await using var unit = await plans.ConsumeDailyAsync(caller.UserId(), PlanLimit.AiInsightsPerDay, cancellationToken);
        var insights = await engine.GenerateAsync(chart, title, cancellationToken);
        if (insights.Source == InsightSources.OpenAi) unit.Keep();
        return insights;
    }

    public Task<ChartTypeSuggestions> SuggestChartTypesAsync(DataSet data, IReadOnlyList<ChartTypeCandidate> candidates,
        CancellationToken cancellationToken = default) => engine.SuggestChartTypesAsync(data, candidates, cancellationToken);

    public Task<ChartOptimization> OptimizeAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default) =>
        engine.OptimizeAsync(chart, title, cancellationToken);
}
