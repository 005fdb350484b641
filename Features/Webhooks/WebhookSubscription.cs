namespace ChartCraft.Features.Webhooks;

/// <summary>The states of a subscription, as stored and as the API shows them.</summary>
public static class WebhookStatuses
{
    /// <summary>Receiving deliveries normally.</summary>
    public const string Active = "active";

    /// <summary>Several deliveries in a row gave up; still attempted, and one success makes it active again.</summary>
    public const string Failing = "failing";

    /// <summary>The receiver answered 410 Gone: nothing more is sent. Delete it and create a new one to resume.</summary>
    public const string Disabled = "disabled";
}

/// <summary>
/// A user's webhook: where to send which events. The signing secret is kept only in protected form
/// (ASP.NET Data Protection); the plain secret is shown once, in the create response.
/// </summary>
public sealed class WebhookSubscription : IOwnedDocument, ICreatedDocument
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Url { get; set; } = "";
    public List<string> Events { get; set; } = [];
    public string? Description { get; set; }
    public string ProtectedSecret { get; set; } = "";
    public string Status { get; set; } = WebhookStatuses.Active;

    /// <summary>Deliveries that gave up since the last success; reaching WEBHOOK_FAILING_AFTER marks it failing.</summary>
    public int ConsecutiveFailures { get; set; }

    public string? DisabledReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A webhook as the API lists it (never with its secret).</summary>
public sealed record WebhookResponse(
    Guid WebhookId,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    string Status,
    int ConsecutiveFailures,
    string? DisabledReason,
    DateTimeOffset CreatedAt)
{
    public static WebhookResponse From(WebhookSubscription s) =>
        new(s.Id, s.Url, s.Events, s.Description, s.Status, s.ConsecutiveFailures, s.DisabledReason, s.CreatedAt);
}
