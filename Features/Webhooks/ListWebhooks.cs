using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Security;
using FastEndpoints;
using Marten;

namespace ChartCraft.Features.Webhooks;

public sealed class ListWebhooksRequest : PageRequest;

public sealed class ListWebhooksValidator : PageRequestValidator<ListWebhooksRequest>;

/// <summary>GET /api/webhooks: the caller's webhooks, newest first, without secrets.</summary>
public sealed class ListWebhooksEndpoint : Endpoint<ListWebhooksRequest, PagedResponse<WebhookResponse>>
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
        var userId = User.UserId();
        await using var session = Resolve<IDocumentStore>().QuerySession();
        var (webhooks, total) = await session.Query<WebhookSubscription>()
            .Where(w => w.UserId == userId)
            .OrderByDescending(w => w.CreatedAt).ThenByDescending(w => w.Id)
            .PageAsync(req, ct);
        await Send.OkAsync(new PagedResponse<WebhookResponse>(webhooks.Select(WebhookResponse.From).ToList(), req.Page,
            req.PageSize, total), ct);
    }
}
