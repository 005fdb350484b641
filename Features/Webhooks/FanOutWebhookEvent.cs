using ChartCraft.Features.Messages;
using Wolverine;

namespace ChartCraft.Features.Webhooks;

/// <summary>
/// Turns a <see cref="WebhookEvent"/> into one delivery per matching subscription of its user. The delivery
/// documents and their <see cref="DeliverWebhook"/> messages commit together (Marten outbox), so an event
/// is never half fanned out.
/// </summary>
public static class FanOutWebhookEventHandler
{
    public static async Task<OutgoingMessages> Handle(WebhookEvent e, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var subscriptions = await session.Query<WebhookSubscription>()
            .Where(s => s.UserId == e.UserId && s.Status != WebhookStatuses.Disabled && s.Events.Contains(e.Type))
            .ToListAsync(ct);
        var messages = new OutgoingMessages();
        if (subscriptions.Count == 0) return messages;

        var body = WebhookPayload.Serialize(e);
        var now = clock.GetUtcNow();
        foreach (var subscription in subscriptions)
        {
            var delivery = new WebhookDelivery
            {
                Id = Guid.CreateVersion7(),
                SubscriptionId = subscription.Id,
                UserId = subscription.UserId,
                EventType = e.Type,
                Body = body,
                CreatedAt = now,
                NextAttemptAt = now,
            };
            session.Store(delivery);
            messages.Add(new DeliverWebhook(delivery.Id, 1));
        }
        return messages;
    }
}
