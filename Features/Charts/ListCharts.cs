using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Security;
using FastEndpoints;
using Marten;

namespace ChartCraft.Features.Charts;

public sealed class ListChartsRequest : PageRequest;

public sealed class ListChartsValidator : PageRequestValidator<ListChartsRequest>;

/// <summary>The caller's charts, newest first.</summary>
public sealed class ListChartsEndpoint(ChartReads reads) : Endpoint<ListChartsRequest, PagedResponse<ChartResponse>>
{
    public override void Configure()
    {
        Get("/charts");
        Description(d => d.WithTags("Charts").Produces<PagedResponse<ChartResponse>>(200).ProducesProblems(400, 401), clearDefaults: true);
        Summary(s => s.Summary = "List charts (paginated, newest first)");
    }

    public override async Task HandleAsync(ListChartsRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = Resolve<IDocumentStore>().QuerySession();
        var (charts, total) = await session.Query<Chart>()
            .Where(c => c.UserId == userId)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .PageAsync(req, ct);
        var ids = charts.Select(c => c.Id).ToArray();
        var views = await reads.LiveViewsAsync(ids,
            (await session.LoadManyAsync<ChartViews>(ct, ids)).ToDictionary(v => v.Id, v => v.ViewCount));
        await Send.OkAsync(new PagedResponse<ChartResponse>(
            charts.Select(c => ChartResponse.From(c, views.GetValueOrDefault(c.Id))).ToList(), req.Page, req.PageSize,
            total), ct);
    }
}
