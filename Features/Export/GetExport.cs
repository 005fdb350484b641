namespace ChartCraft.Features.Export;

/// <summary>GET /api/export/{id}: queued, running, completed (with a fresh download link) or failed (with the reason).</summary>
public sealed class GetExportEndpoint(IDocumentStore store, ExportResponses responses) : EndpointWithoutRequest<ExportResponse>
{
    public override void Configure()
    {
        Get("/export/{export_id:guid}");
        Description(d => d.WithTags("Export").Produces<ExportResponse>(200).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Export status and download link");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var job = await ExportResponses.LoadOwnedAsync(session, Route<Guid>("export_id"), User.UserId(), ct);
        await Send.OkAsync(await responses.ToResponseAsync(job, ct), ct);
    }
}
