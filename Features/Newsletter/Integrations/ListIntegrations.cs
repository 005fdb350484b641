namespace ChartCraft.Features.Newsletter.Integrations;

public sealed class ListIntegrationsRequest
{
    /// <summary>true: check every connection with its provider now, before answering.</summary>
    [QueryParam, BindFrom("check")] public bool Check { get; set; }
}

/// <summary>GET /api/integrations[?check=true]: the user's connections, never their credentials.</summary>
public sealed class ListIntegrationsEndpoint(IDocumentStore store, IntegrationHealthCheck health, ILogger<ListIntegrationsEndpoint> logger)
    : Endpoint<ListIntegrationsRequest, IReadOnlyList<IntegrationResponse>>
{
    public override void Configure()
    {
        Get("/integrations");
        Description(d => d.WithTags("Newsletter platforms").Produces<IReadOnlyList<IntegrationResponse>>(200)
            .ProducesProblems(401), clearDefaults: true);
        Summary(s => s.Summary = "List newsletter platform connections (?check=true checks each with its provider first)");
    }

    public override async Task HandleAsync(ListIntegrationsRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.QuerySession();
        var integrations = await LoadAsync(session, userId, ct);
        if (req.Check && integrations.Count > 0)
        {
            foreach (var integration in integrations)
            {
                await health.CheckAsync(integration, ct);
                await IntegrationUpdates.TrySaveAsync(store, integration, logger, ct);
            }
            await IntegrationMetrics.RefreshAsync(session, ct);
            integrations = await LoadAsync(session, userId, ct);
        }
        await Send.OkAsync(integrations.Select(IntegrationResponse.From).ToList(), ct);
    }

    static async Task<IReadOnlyList<Integration>> LoadAsync(IQuerySession session, Guid userId, CancellationToken ct) =>
        await session.Query<Integration>().OwnedBy(userId).OrderBy(i => i.Provider).ToListAsync(ct);
}
