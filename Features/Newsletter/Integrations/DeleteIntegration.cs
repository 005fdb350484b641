namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>DELETE /api/integrations/{provider}: forgets the connection and its credentials.</summary>
public sealed class DeleteIntegrationEndpoint(IDocumentStore store) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/integrations/{provider}");
        Description(d => d.WithTags("Newsletter platforms").Produces(204).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Disconnect a newsletter platform");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var provider = NewsletterProviders.FromRoute(Route<string>("provider"));
        await using var session = store.LightweightSession();
        var integration = await session.LoadIntegrationAsync(User.UserId(), provider, ct) ?? throw Integrations.NotConnected(provider);
        session.Delete(integration);
        await session.SaveChangesAsync(ct);
        await IntegrationMetrics.RefreshAsync(session, ct);
        await Send.NoContentAsync(ct);
    }
}
