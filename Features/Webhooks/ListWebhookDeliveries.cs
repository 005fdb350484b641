namespace ChartCraft.Features.Webhooks;

public sealed class ListWebhookDeliveriesRequest : PageRequest;

public sealed class ListWebhookDeliveriesValidator : PageRequestValidator<ListWebhookDeliveriesRequest>;

/// <summary>GET /api/webhooks/{id}/deliveries: the delivery log, newest first, with every attempt.</summary>
public sealed class ListWebhookDeliveriesEndpoint(IDocumentStore store) : Endpoint<ListWebhookDeliveriesRequest, PagedResponse<WebhookDeliveryResponse>>
{
    public override void Configure()
    {
        Get("/webhooks/{webhook_id:guid}/deliveries");
        Description(d => d.WithTags("Webhooks").Produces<PagedResponse<WebhookDeliveryResponse>>(200)
            .ProducesProblems(400, 401, 404), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "A webhook's deliveries (paginated, newest first)";
            s.Description = "Each delivery has its status (pending, succeeded, failed = retry scheduled, gave_up), " +
                            "the number of attempts, the last response code, and the log of attempts with status codes and durations.";
        });
    }

    public override async Task HandleAsync(ListWebhookDeliveriesRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var webhook = await session.LoadOwnedWebhookAsync(Route<Guid>("webhook_id"), User.UserId(), ct);
        var (deliveries, total) = await session.Query<WebhookDelivery>()
            .Where(d => d.SubscriptionId == webhook.Id)
            .PageNewestFirstAsync(req, ct);
        await Send.OkAsync(req.Respond(deliveries.Select(WebhookDeliveryResponse.From).ToList(), total), ct);
    }
}
