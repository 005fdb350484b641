using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts;

/// <summary>GET /api/charts/{id}/optimize: tips to make the chart clearer (rules, or GPT grounded in the chart's numbers).</summary>
public sealed class OptimizeChartEndpoint(IDocumentStore store, DataSetCache dataSets, IInsightGenerator ai)
    : EndpointWithoutRequest<ChartOptimization>
{
    public override void Configure()
    {
        Get("/charts/{chart_id:guid}/optimize");
        Description(d => d.WithTags("Charts").Produces<ChartOptimization>(200).ProducesProblems(401, 404, 422), clearDefaults: true);
        Summary(s => s.Summary = "Optimisation tips for a chart");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.QuerySession();
        var chart = await session.LoadOwnedChartAsync(Route<Guid>("chart_id"), userId, ct);
        var source = await session.LoadOwnedSourceAsync(chart.DataSourceId, userId, ct);
        var aggregated = ChartAggregator.Aggregate(await dataSets.GetAsync(source, ct), chart.ChartType, chart.Config);
        await Send.OkAsync(await ai.OptimizeAsync(aggregated, chart.Title, ct), ct);
    }
}
