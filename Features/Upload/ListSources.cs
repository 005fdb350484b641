namespace ChartCraft.Features.Upload;

public sealed class ListSourcesRequest : PageRequest;

public sealed class ListSourcesValidator : PageRequestValidator<ListSourcesRequest>;

/// <summary>The caller's data sources, newest first.</summary>
public sealed class ListSourcesEndpoint(IDocumentStore store) : Endpoint<ListSourcesRequest, PagedResponse<DataSourceResponse>>
{
    public override void Configure()
    {
        Get("/data/sources");
        Description(d => d.WithTags("Data sources").Produces<PagedResponse<DataSourceResponse>>(200).ProducesProblems(400, 401),
            clearDefaults: true);
        Summary(s => s.Summary = "List data sources (paginated, newest first)");
    }

    public override async Task HandleAsync(ListSourcesRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var (sources, total) = await session.PageOwnedAsync<DataSource>(User.UserId(), req, ct);
        await Send.OkAsync(req.Respond(sources.Select(DataSourceResponse.From).ToList(), total), ct);
    }
}
