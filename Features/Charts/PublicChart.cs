using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Insights;

namespace ChartCraft.Features.Charts;

public sealed record PublicChartResponse(Guid ChartId, string Title, string ChartType, JsonObject ChartConfig, ChartInsights? AiInsights);

/// <summary>
/// GET /api/public/charts/{id}: no token; only public charts (others are 404); each call counts a view (in Redis, exactly,
/// written to PostgreSQL every few seconds: <see cref="ChartViewFlush"/>), in the total and in the day's statistics.
/// </summary>
public sealed class PublicChartEndpoint(ChartReads reads, ChartDailyViews daily) : EndpointWithoutRequest<PublicChartResponse>
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
        var chart = await reads.ViewPublicAsync(Route<Guid>("chart_id"), ct);
        await daily.CountAsync(chart.Id, HttpContext, ct);
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(new PublicChartResponse(chart.Id, chart.Title, chart.ChartType, chart.ChartConfig, chart.AiInsights), ct);
    }
}
