namespace ChartCraft.Features.Webhooks;

/// <summary>
/// DELETE /api/webhooks/{id}: the webhook and its delivery log go; retries already scheduled find no
/// delivery and do nothing.
/// </summary>
public sealed class DeleteWebhookEndpoint(IDocumentStore store) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/webhooks/{webhook_id:guid}");
        Description(d => d.WithTags("Webhooks").Produces(204).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Delete a webhook and its delivery log");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var webhook = await session.LoadOwnedWebhookAsync(Route<Guid>("webhook_id"), User.UserId(), ct);
        session.Delete(webhook);
        session.DeleteWhere<WebhookDelivery>(d => d.SubscriptionId == webhook.Id);
        await session.SaveChangesAsync(ct);
        await Send.NoContentAsync(ct);
    }
}
