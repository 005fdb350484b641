using ChartCraft.Infrastructure.Hosting;

namespace ChartCraft.Features.Webhooks;

/// <summary>
/// Keeps the delivery log bounded: deliveries that finished (succeeded or gave up) more than
/// WEBHOOK_DELIVERY_RETENTION_DAYS ago are deleted. A delivery still retrying is never touched, whatever its age.
/// </summary>
public sealed class WebhookDeliveryRetention(IDocumentStore store, WebhookOptions options, TimeProvider clock,
    ILogger<WebhookDeliveryRetention> logger)
{
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - options.DeliveryRetention;
        await using var session = store.LightweightSession();
        var expired = await session.Query<WebhookDelivery>()
            .Where(d => d.CreatedAt < cutoff && (d.Status == DeliveryStatuses.Succeeded || d.Status == DeliveryStatuses.GaveUp))
            .Select(d => d.Id)
            .ToListAsync(ct);
        if (expired.Count == 0) return 0;
        foreach (var id in expired) session.Delete<WebhookDelivery>(id);
        await session.SaveChangesAsync(ct);
        logger.LogInformation("Webhook delivery log: removed {Count} deliveries finished before {Cutoff:o}", expired.Count, cutoff);
        return expired.Count;
    }
}

/// <summary>Prunes the delivery log every WEBHOOK_DELIVERY_PRUNE_INTERVAL_MINUTES (hourly), on one instance of the cluster per interval.</summary>
public sealed class WebhookDeliveryRetentionSchedule(WebhookDeliveryRetention retention, WebhookOptions options, IntervalClaims claims,
    TimeProvider clock, ILogger<WebhookDeliveryRetentionSchedule> logger) : OncePerIntervalJob(options.PruneInterval, claims, clock, logger)
{
    protected override string Name => "Pruning the webhook delivery log";

    protected override string Key => "webhook-delivery-prune";

    protected override Task RunOnceAsync(CancellationToken ct) => retention.PruneAsync(ct);
}
