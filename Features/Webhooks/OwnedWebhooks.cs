using ChartCraft.Infrastructure.Errors;
using Marten;

namespace ChartCraft.Features.Webhooks;

/// <summary>Loading a user's webhook; another user's webhook is indistinguishable from a missing one.</summary>
public static class OwnedWebhooks
{
    public static async Task<WebhookSubscription> LoadOwnedWebhookAsync(this IQuerySession session, Guid webhookId, Guid userId,
        CancellationToken ct)
    {
        var webhook = await session.LoadAsync<WebhookSubscription>(webhookId, ct);
        return webhook is not null && webhook.UserId == userId
            ? webhook
            : throw new ProblemException(404, "Webhook not found", $"No webhook {webhookId}.");
    }
}
