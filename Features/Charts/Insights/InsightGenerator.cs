using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// The AI service of the spec: insights and headline for a chart, re-ranked chart-type suggestions,
/// and optimisation tips. Never throws for an engine failure: the statistical engine answers instead,
/// and each result says which engine did.
/// </summary>
public interface IInsightGenerator
{
    /// <summary>Headline, 3–5 insights and recommendations for the chart, with the facts they rest on.</summary>
    Task<ChartInsights> GenerateAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default);

    /// <summary>The rule-based candidates re-ranked (best first) and explained.</summary>
    Task<ChartTypeSuggestions> SuggestChartTypesAsync(DataSet data, IReadOnlyList<ChartTypeCandidate> candidates,
        CancellationToken cancellationToken = default);

    /// <summary>Tips that make the chart clearer.</summary>
    Task<ChartOptimization> OptimizeAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default);
}

/// <summary>The engine used without an OpenAI key, and the fallback of the OpenAI one.</summary>
public sealed class StatisticalInsightGenerator : IInsightGenerator
{
    public Task<ChartInsights> GenerateAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default) =>
        Task.FromResult(Generate(chart));

    public Task<ChartTypeSuggestions> SuggestChartTypesAsync(DataSet data, IReadOnlyList<ChartTypeCandidate> candidates,
        CancellationToken cancellationToken = default) =>
        Task.FromResult(Suggest(candidates));

    public Task<ChartOptimization> OptimizeAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default) =>
        Task.FromResult(Optimize(chart));

    public static ChartInsights Generate(AggregatedChart chart) =>
        InsightWriter.Write(chart, StatisticalInsights.FindFacts(chart));

    /// <summary>The rules already rank their candidates; keep their order, best confidence first on ties.</summary>
    public static ChartTypeSuggestions Suggest(IReadOnlyList<ChartTypeCandidate> candidates) =>
        new(candidates.OrderByDescending(c => c.Confidence).ToList(), InsightSources.Statistical);

    public static ChartOptimization Optimize(AggregatedChart chart) =>
        new(ChartOptimizationRules.Tips(chart), InsightSources.Statistical);
}
