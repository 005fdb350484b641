using ChartCraft.Infrastructure.Hosting;
using Wolverine;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>Time to check every connection (sent by <see cref="IntegrationHealthSchedule"/>, or asked for on demand).</summary>
public sealed record CheckAllIntegrations(DateTimeOffset At);

/// <summary>Check one connection; one message each, so a slow provider holds up only its own checks.</summary>
public sealed record CheckIntegration(string IntegrationId);

/// <summary>Fans a check out to every connection that is not revoked.</summary>
public static class CheckAllIntegrationsHandler
{
    public static async Task<OutgoingMessages> Handle(CheckAllIntegrations message, IQuerySession session, CancellationToken ct)
    {
        await IntegrationMetrics.RefreshAsync(session, ct);
        var ids = await session.Query<Integration>()
            .Where(i => i.Status != IntegrationStatus.Revoked)
            .Select(i => i.Id)
            .ToListAsync(ct);
        var checks = new OutgoingMessages();
        checks.AddRange(ids.Select(id => new CheckIntegration(id)));
        return checks;
    }
}

/// <summary>Checks one connection and records the outcome, unless the user replaced or removed it meanwhile.</summary>
public static class CheckIntegrationHandler
{
    public static async Task Handle(CheckIntegration message, IDocumentStore store, IntegrationHealthCheck health,
        ILogger<CheckIntegration> logger, CancellationToken ct)
    {
        Integration? integration;
        await using (var query = store.QuerySession())
            integration = await query.LoadAsync<Integration>(message.IntegrationId, ct);
        if (integration is null) return;
        await health.CheckAsync(integration, ct);
        if (!await IntegrationUpdates.TrySaveAsync(store, integration, logger, ct)) return;
        await using var session = store.QuerySession();
        await IntegrationMetrics.RefreshAsync(session, ct);
    }
}

/// <summary>
/// Sends <see cref="CheckAllIntegrations"/> every INTEGRATION_CHECK_INTERVAL_MINUTES (default 60; 0 turns it off), from
/// one instance of the cluster per interval (<see cref="OncePerIntervalJob"/>), so each connection is checked once per
/// interval however many instances run. The message is durable, so a check that was due survives a restart.
/// </summary>
public sealed class IntegrationHealthSchedule(IServiceProvider services, NewsletterPlatformSettings settings, IntervalClaims claims,
    TimeProvider clock, ILogger<IntegrationHealthSchedule> logger) : OncePerIntervalJob(settings.HealthCheckInterval, claims, clock, logger)
{
    protected override string Name => "Integration check";

    protected override string Key => "integration-check";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new CheckAllIntegrations(clock.GetUtcNow()));
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshMetricsAsync(cancellationToken); // so /metrics has counts before the first check
        await base.StartAsync(cancellationToken);
    }

    async Task RefreshMetricsAsync(CancellationToken ct)
    {
        try
        {
            await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
            await IntegrationMetrics.RefreshAsync(session, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not count integrations for /metrics; the next check will");
        }
    }
}
