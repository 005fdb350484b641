using Prometheus;

namespace ChartCraft.Features.Newsletter.Webhooks;

/// <summary>Prometheus counters of delivery attempts.</summary>
public static class WebhookMetrics
{
    /// <summary>Attempts by outcome: succeeded, failed (will retry or gave up), gone (410), refused (blocked address).</summary>
    static readonly Counter Deliveries = Metrics.CreateCounter("chartcraft_webhook_deliveries_total",
        "Webhook delivery attempts by result", "result");

    public static void Count(AttemptOutcome outcome) => Deliveries.WithLabels(outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Gone => "gone",
        AttemptOutcome.Refused => "refused",
        _ => "failed",
    }).Inc();
}
