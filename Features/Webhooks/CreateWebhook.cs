using ChartCraft.Features.Messages;

namespace ChartCraft.Features.Webhooks;

public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Description);

public sealed class CreateWebhookValidator : Validator<CreateWebhookRequest>
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;

    public CreateWebhookValidator()
    {
        RuleFor(x => x.Url).NotEmpty().WithMessage("is required")
            .MaximumLength(MaxUrlLength)
            .Must(IsHttpUrl).WithMessage("must be an absolute http:// or https:// URL");
        RuleFor(x => x.Events).NotEmpty().WithMessage($"must list at least one of: {string.Join(", ", WebhookEventTypes.All)}");
        RuleFor(x => x.Events).Must(events => events!.All(WebhookEventTypes.All.Contains))
            .When(x => x.Events is { Count: > 0 })
            .WithMessage(x => $"unknown event type(s) {string.Join(", ", x.Events!.Where(e => !WebhookEventTypes.All.Contains(e)).Select(e => $"'{e}'"))}; " +
                              $"must be among: {string.Join(", ", WebhookEventTypes.All)}");
        RuleFor(x => x.Description).MaximumLength(MaxDescriptionLength);
    }

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;
}

/// <summary>A new webhook with the only copy of its signing secret.</summary>
public sealed record CreatedWebhookResponse(
    Guid WebhookId,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    string Status,
    DateTimeOffset CreatedAt,
    string Secret);

/// <summary>
/// POST /api/webhooks: subscribe a URL to event types. The URL must resolve to public addresses (unless
/// WEBHOOK_ALLOW_LOOPBACK_TARGETS / WEBHOOK_ALLOW_PRIVATE_TARGETS); the <c>whsec_</c> secret is returned here once and stored only protected.
/// </summary>
public sealed class CreateWebhookEndpoint(IDocumentStore store, WebhookTargetGuard guard, WebhookSecrets secrets, TimeProvider clock)
    : Endpoint<CreateWebhookRequest, CreatedWebhookResponse>
{
    public override void Configure()
    {
        Post("/webhooks");
        Description(d => d.WithTags("Webhooks").Accepts<CreateWebhookRequest>("application/json")
            .Produces<CreatedWebhookResponse>(201).ProducesProblems(400, 401, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Create a webhook";
            s.Description = "Events: " + string.Join(", ", WebhookEventTypes.All) +
                            ". The response carries the signing secret (whsec_...), shown only this once.";
            s.Responses[422] = "Invalid url (not http(s), too long, unresolvable or a private/loopback/link-local address), events or description";
        });
    }

    public override async Task HandleAsync(CreateWebhookRequest req, CancellationToken ct)
    {
        var url = new Uri(req.Url!.Trim());
        if (await guard.CheckAsync(url, ct) is { } refusal)
            throw new ProblemException(422, "The request is invalid", "The webhook URL cannot be used.",
                new Dictionary<string, string[]> { ["url"] = [refusal] });

        var secret = WebhookSecrets.Generate();
        var webhook = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(),
            UserId = User.UserId(),
            Url = req.Url.Trim(),
            Events = req.Events!.Distinct().ToList(),
            Description = string.IsNullOrWhiteSpace(req.Description) ? null : req.Description.Trim(),
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var session = store.LightweightSession();
        session.Store(webhook);
        await session.SaveChangesAsync(ct);

        await Send.ResponseAsync(new CreatedWebhookResponse(webhook.Id, webhook.Url, webhook.Events, webhook.Description,
            webhook.Status, webhook.CreatedAt, secret), 201, ct);
    }
}
