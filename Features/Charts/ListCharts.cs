namespace ChartCraft.Features.Charts;

public sealed class ListChartsRequest : PageRequest;

public sealed class ListChartsValidator : PageRequestValidator<ListChartsRequest>;

/// <summary>The caller's charts, newest first.</summary>
public sealed class ListChartsEndpoint(IDocumentStore store, ChartReads reads, ThumbnailLinks thumbnails) : Endpoint<ListChartsRequest, PagedResponse<ChartResponse>>
{
    public override void Configure()
    {
        Get("/charts");
        Description(d => d.WithTags("Charts").Produces<PagedResponse<ChartResponse>>(200).ProducesProblems(400, 401), clearDefaults: true);
        Summary(s => s.Summary = "List charts (paginated, newest first)");
    }

    public override async Task HandleAsync(ListChartsRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var (charts, total) = await session.PageOwnedAsync<Chart>(User.UserId(), req, ct);
        var ids = charts.Select(c => c.Id).ToArray();
        var views = await reads.LiveViewsAsync(ids,
            (await session.LoadManyAsync<ChartViews>(ct, ids)).ToDictionary(v => v.Id, v => v.ViewCount));
        await Send.OkAsync(req.Respond(charts.Select(c => ChartResponse.From(c, views.GetValueOrDefault(c.Id), thumbnails)).ToList(), total), ct);
    }
}
