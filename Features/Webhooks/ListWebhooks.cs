namespace ChartCraft.Features.Webhooks;

public sealed class ListWebhooksRequest : PageRequest;

public sealed class ListWebhooksValidator : PageRequestValidator<ListWebhooksRequest>;

/// <summary>GET /api/webhooks: the caller's webhooks, newest first, without secrets.</summary>
public sealed class ListWebhooksEndpoint(IDocumentStore store) : Endpoint<ListWebhooksRequest, PagedResponse<WebhookResponse>>
{
    public override void Configure()
    {
        Get("/webhooks");
        Description(d => d.WithTags("Webhooks").Produces<PagedResponse<WebhookResponse>>(200).ProducesProblems(400, 401),
            clearDefaults: true);
        Summary(s => s.Summary = "List webhooks (paginated, newest first; secrets are never listed)");
    }

    public override async Task HandleAsync(ListWebhooksRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var (webhooks, total) = await session.PageOwnedAsync<WebhookSubscription>(User.UserId(), req, ct);
        await Send.OkAsync(req.Respond(webhooks.Select(WebhookResponse.From).ToList(), total), ct);
    }
}
