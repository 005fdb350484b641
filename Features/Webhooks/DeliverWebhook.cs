using System.Security.Cryptography;
using ChartCraft.Infrastructure.Observability;
using Marten.Patching;
using Npgsql;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ChartCraft.Features.Webhooks;

/// <summary>
/// Make attempt number <paramref name="Attempt"/> of a delivery. A durable message: a retry is this message
/// scheduled for later, so pending retries survive restarts.
/// </summary>
// Named as before the webhooks feature left Newsletter/, so retries scheduled before a deploy still run.
[MessageIdentity("ChartCraft.Features.Newsletter.Webhooks.DeliverWebhook")]
public sealed record DeliverWebhook(Guid DeliveryId, int Attempt);

/// <summary>
/// Sends one attempt, records it on the delivery, schedules the next one or settles the delivery, and
/// keeps the subscription's health (failing after repeated give-ups, disabled by 410).
/// </summary>
public static class DeliverWebhookHandler
{
    /// <summary>A database hiccup retries the message (at-least-once; receivers dedupe on webhook-id).</summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<NpgsqlException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

    public static async Task<OutgoingMessages> Handle(DeliverWebhook message, IDocumentSession session, WebhookSender sender,
        WebhookSecrets secrets, WebhookOptions options, TimeProvider clock, ILogger<DeliverWebhook> logger, Envelope envelope, JobFailures failures,
        CancellationToken ct)
    {
        var next = new OutgoingMessages();
        var delivery = await session.LoadAsync<WebhookDelivery>(message.DeliveryId, ct);
        // Deleted with its subscription, already settled, or a duplicate of an attempt already recorded.
        if (delivery is null || delivery.IsFinished || delivery.Attempts.Count >= message.Attempt) return next;

        var subscription = await session.LoadAsync<WebhookSubscription>(delivery.SubscriptionId, ct);
        if (subscription is null || subscription.Status == WebhookStatuses.Disabled)
        {
            Settle(delivery, DeliveryStatuses.GaveUp, clock);
            delivery.Error = "the webhook was disabled before this delivery was sent";
            session.Store(delivery);
            return next;
        }

        if (ReadSecret(secrets, subscription, delivery, clock, logger, envelope, failures) is not { } secret)
        {
            session.Store(delivery);
            return next;
        }

        var result = await sender.SendAsync(subscription.Url, delivery.Id, delivery.Body, secret, message.Attempt, ct);
        WebhookMetrics.Count(result.Outcome);
        delivery.Attempts.Add(result.Attempt);

        var (step, delay) = WebhookRetryPolicy.Next(result.Outcome, message.Attempt, options.RetryDelays);
        logger.LogInformation("Webhook delivery {DeliveryId} of {WebhookId} attempt {Attempt}: {Outcome} ({StatusCode}), next {Step}",
            delivery.Id, subscription.Id, message.Attempt, result.Outcome, result.Attempt.StatusCode, step);
        switch (step)
        {
            case NextStep.Done:
                Settle(delivery, DeliveryStatuses.Succeeded, clock);
                Heal(session, subscription.Id);
                break;
            case NextStep.Retry:
                delivery.Status = DeliveryStatuses.Failed;
                delivery.NextAttemptAt = clock.GetUtcNow() + delay!.Value;
                next.Add(new DeliverWebhook(delivery.Id, message.Attempt + 1).DelayedFor(delay.Value));
                break;
            case NextStep.GiveUp:
                Settle(delivery, DeliveryStatuses.GaveUp, clock);
                // Usually the receiver's fault (down, refusing): a warning, so a burst of them is visible without paging.
                failures.Report(envelope, "delivery_gave_up", level: Sentry.SentryLevel.Warning,
                    ids: [("webhook_id", subscription.Id.ToString()), ("outcome", result.Outcome.ToString())]);
                CountFailure(session, subscription.Id, options.FailingAfterDeliveries);
                break;
            case NextStep.Disable:
                Settle(delivery, DeliveryStatuses.GaveUp, clock);
                session.Patch<WebhookSubscription>(subscription.Id)
                    .Set(s => s.Status, WebhookStatuses.Disabled)
                    .Set(s => s.DisabledReason, "the receiver answered 410 Gone");
                break;
        }
        session.Store(delivery);
        return next;
    }

    /// <summary>The subscription's signing secret, or null (and the delivery given up) when it can no longer be read.</summary>
    static string? ReadSecret(WebhookSecrets secrets, WebhookSubscription subscription, WebhookDelivery delivery, TimeProvider clock,
        ILogger logger, Envelope envelope, JobFailures failures)
    {
        try
        {
            return secrets.Unprotect(subscription.ProtectedSecret);
        }
        catch (CryptographicException)
        {
            // The data-protection keys that sealed it are gone (e.g. a database restored without them): no retry can sign this.
            logger.LogWarning("Webhook {WebhookId}: its signing secret cannot be unprotected; delivery {DeliveryId} gives up",
                subscription.Id, delivery.Id);
            Settle(delivery, DeliveryStatuses.GaveUp, clock);
            delivery.Error = "the webhook's signing secret can no longer be read on the server; delete the webhook and create it again";
            failures.Report(envelope, "delivery_secret_unreadable", ids: ("webhook_id", subscription.Id.ToString()));
            return null;
        }
    }

    /// <summary>A success heals a failing subscription; the patches touch the row only if it still exists.</summary>
    static void Heal(IDocumentSession session, Guid subscriptionId)
    {
        session.Patch<WebhookSubscription>(subscriptionId).Set(s => s.ConsecutiveFailures, 0);
        session.Patch<WebhookSubscription>(s => s.Id == subscriptionId && s.Status == WebhookStatuses.Failing)
            .Set(s => s.Status, WebhookStatuses.Active);
    }

    /// <summary>Counted in SQL, not read-modify-write: deliveries to one subscription run in parallel.</summary>
    static void CountFailure(IDocumentSession session, Guid subscriptionId, int failingAfterDeliveries)
    {
        session.Patch<WebhookSubscription>(subscriptionId).Increment(s => s.ConsecutiveFailures);
        session.Patch<WebhookSubscription>(s => s.Id == subscriptionId && s.Status == WebhookStatuses.Active
                                                && s.ConsecutiveFailures >= failingAfterDeliveries)
            .Set(s => s.Status, WebhookStatuses.Failing);
    }

    static void Settle(WebhookDelivery delivery, string status, TimeProvider clock)
    {
        delivery.Status = status;
        delivery.NextAttemptAt = null;
        delivery.CompletedAt = clock.GetUtcNow();
        WebhookMetrics.CountSettled(status);
    }
}
