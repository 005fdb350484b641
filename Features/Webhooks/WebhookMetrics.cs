using Prometheus;

namespace ChartCraft.Features.Webhooks;

/// <summary>Prometheus counters of delivery attempts.</summary>
public static class WebhookMetrics
{
    /// <summary>Attempts by outcome: succeeded, failed (will retry or gave up), gone (410), refused (blocked address).</summary>
    static readonly Counter Deliveries = Metrics.CreateCounter("chartcraft_webhook_deliveries_total",
        "Webhook delivery attempts by result", "result");

    /// <summary>Deliveries settled, by final status: succeeded, or gave_up (retries exhausted, 410, refused, or the webhook was disabled).</summary>
    static readonly Counter Settled = Metrics.CreateCounter("chartcraft_webhook_deliveries_settled_total",
        "Webhook deliveries settled, by final status", "status");

    public static void CountSettled(string status) => Settled.WithLabels(status).Inc();

    public static void Count(AttemptOutcome outcome) => Deliveries.WithLabels(outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Gone => "gone",
        AttemptOutcome.Refused => "refused",
        _ => "failed",
    }).Inc();
}
