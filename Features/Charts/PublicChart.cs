using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Infrastructure.Api;
using FastEndpoints;
using Marten;
using Marten.Patching;

namespace ChartCraft.Features.Charts;

public sealed record PublicChartResponse(Guid ChartId, string Title, string ChartType, JsonObject ChartConfig, ChartInsights? AiInsights);

/// <summary>GET /api/public/charts/{id}: no token; only public charts (others are 404); each call counts a view.</summary>
public sealed class PublicChartEndpoint : EndpointWithoutRequest<PublicChartResponse>
{
    public override void Configure()
    {
        Get("/public/charts/{chart_id:guid}");
        AllowAnonymous();
        Description(d => d.WithTags("Charts").Produces<PublicChartResponse>(200).ProducesProblems(404), clearDefaults: true);
        Summary(s => s.Summary = "A public chart (no authentication); counts a view");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var chartId = Route<Guid>("chart_id");
        await using var session = Resolve<IDocumentStore>().LightweightSession();
        var chart = await session.LoadAsync<Chart>(chartId, ct);
        if (chart is not { IsPublic: true }) throw Charts.NotFound(chartId);
        // One UPDATE ... SET view_count = view_count + 1: concurrent views are all counted.
        session.Patch<ChartViews>(chartId).Increment(v => v.ViewCount);
        await session.SaveChangesAsync(ct);
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(new PublicChartResponse(chart.Id, chart.Title, chart.ChartType, chart.ChartConfig, chart.AiInsights), ct);
    }
}
