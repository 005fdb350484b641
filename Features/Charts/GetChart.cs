using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Security;
using FastEndpoints;
using Marten;

namespace ChartCraft.Features.Charts;

/// <summary>One of the caller's charts.</summary>
public sealed class GetChartEndpoint : EndpointWithoutRequest<ChartResponse>
{
    public override void Configure()
    {
        Get("/charts/{chart_id:guid}");
        Description(d => d.WithTags("Charts").Produces<ChartResponse>(200).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Get a chart");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = Resolve<IDocumentStore>().QuerySession();
        var chart = await session.LoadOwnedChartAsync(Route<Guid>("chart_id"), User.UserId(), ct);
        await Send.OkAsync(ChartResponse.From(chart, await session.ViewsAsync(chart.Id, ct)), ct);
    }
}
