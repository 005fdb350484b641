namespace ChartCraft.Features.Upload;

/// <summary>One of the caller's data sources; anyone else's is 404.</summary>
public sealed class GetSourceEndpoint(IDocumentStore store) : EndpointWithoutRequest<DataSourceResponse>
{
    public override void Configure()
    {
        Get("/data/sources/{source_id:guid}");
        Description(d => d.WithTags("Data sources").Produces<DataSourceResponse>(200).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Get a data source");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var source = await session.LoadOwnedSourceAsync(Route<Guid>("source_id"), User.UserId(), ct);
        await Send.OkAsync(DataSourceResponse.From(source), ct);
    }
}
