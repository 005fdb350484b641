namespace ChartCraft.Features.Webhooks;

/// <summary>Loading a user's webhook; another user's webhook is indistinguishable from a missing one.</summary>
public static class OwnedWebhooks
{
    public static Task<WebhookSubscription> LoadOwnedWebhookAsync(this IQuerySession session, Guid webhookId, Guid userId,
        CancellationToken ct) =>
        session.LoadOwnedAsync<WebhookSubscription>(webhookId, userId, NotFound, ct);

    public static ProblemException NotFound(Guid webhookId) => new(404, "Webhook not found", $"No webhook {webhookId}.");
}
