using ChartCraft.Infrastructure.Configuration;
using Marten;
using StackExchange.Redis;
using Wolverine;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>Time to check every connection; <paramref name="Scheduled"/> when sent by <see cref="IntegrationHealthSchedule"/>.</summary>
public sealed record CheckAllIntegrations(DateTimeOffset At, bool Scheduled = false);

/// <summary>Check one connection; one message each, so a slow provider holds up only its own checks.</summary>
public sealed record CheckIntegration(string IntegrationId);

/// <summary>
/// Fans the periodic check out to every connection that is not revoked. Every instance runs the schedule; the
/// first to claim the interval in Redis fans out and the others skip it, so each connection is checked once per
/// interval however many instances run.
/// </summary>
public static class CheckAllIntegrationsHandler
{
    public static async Task<OutgoingMessages> Handle(CheckAllIntegrations message, IQuerySession session, IConnectionMultiplexer redis,
        RedisSettings redisSettings, NewsletterPlatformSettings settings, ILogger<CheckAllIntegrations> logger, CancellationToken ct)
    {
        await IntegrationMetrics.RefreshAsync(session, ct);
        var checks = new OutgoingMessages();
        if (message.Scheduled && !await ClaimIntervalAsync(message.At, redis, redisSettings, settings.HealthCheckInterval, logger))
            return checks;
        var ids = await session.Query<Integration>()
            .Where(i => i.Status != IntegrationStatus.Revoked)
            .Select(i => i.Id)
            .ToListAsync(ct);
        checks.AddRange(ids.Select(id => new CheckIntegration(id)));
        return checks;
    }

    /// <summary>
    /// Claims the interval <paramref name="at"/> falls in (intervals counted from the Unix epoch, so every instance
    /// numbers them alike). With Redis unreachable the check runs anyway: a duplicate check is harmless, a missed one is not.
    /// </summary>
    static async Task<bool> ClaimIntervalAsync(DateTimeOffset at, IConnectionMultiplexer redis, RedisSettings redisSettings,
        TimeSpan interval, ILogger logger)
    {
        if (interval <= TimeSpan.Zero) return true;
        var slot = at.ToUnixTimeMilliseconds() / (long)interval.TotalMilliseconds;
        try
        {
            return await redis.GetDatabase().StringSetAsync($"{redisSettings.KeyPrefix}integration-check:{slot}", at.ToString("o"),
                interval * 2, When.NotExists);
        }
        catch (RedisException ex)
        {
            logger.LogWarning(ex, "Redis unavailable: running the integration check without claiming the interval");
            return true;
        }
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
/// Sends <see cref="CheckAllIntegrations"/> every INTEGRATION_CHECK_INTERVAL_MINUTES (default 60; 0 turns it
/// off). The message is durable, so a check that was due survives a restart.
/// </summary>
public sealed class IntegrationHealthSchedule(IServiceProvider services, NewsletterPlatformSettings settings, TimeProvider clock,
    ILogger<IntegrationHealthSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RefreshMetricsAsync(stoppingToken); // so /metrics has counts before the first check
        using var timer = new PeriodicTimer(settings.HealthCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new CheckAllIntegrations(clock.GetUtcNow(), Scheduled: true));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly away; the next tick tries again.
                logger.LogWarning(ex, "Could not schedule the integration health check");
            }
        }
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
