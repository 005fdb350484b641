namespace ChartCraft.Features.Newsletter.Publishing;

/// <summary>GET /api/newsletter/publish/{publish_id}: the job's status; another user's job is 404.</summary>
public sealed class GetPublishJobEndpoint(IDocumentStore store) : EndpointWithoutRequest<PublishJobResponse>
{
    public override void Configure()
    {
        Get("/newsletter/publish/{publish_id:guid}");
        Description(d => d.WithTags("Newsletter platforms").Produces<PublishJobResponse>(200).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Status of a newsletter publish (queued, running, completed, failed with the provider's error)");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var job = await session.LoadOwnedAsync<PublishJob>(Route<Guid>("publish_id"), User.UserId(),
            id => new ProblemException(404, "Publish job not found", $"No publish job {id}."), ct);
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.OkAsync(PublishJobResponse.From(job), ct);
    }
}
