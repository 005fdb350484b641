using Wolverine.Attributes;

namespace ChartCraft.Features.Messages;

/// <summary>The event types a webhook subscription can ask for.</summary>
public static class WebhookEventTypes
{
    public const string DataSourceCreated = "data_source.created";
    public const string DataSourceUpdated = "data_source.updated";
    public const string ChartCreated = "chart.created";
    public const string ChartUpdated = "chart.updated";
    public const string ExportCompleted = "export.completed";
    public const string ExportFailed = "export.failed";
    public const string NewsletterPublished = "newsletter.published";

    public static readonly IReadOnlyList<string> All =
        [DataSourceCreated, DataSourceUpdated, ChartCreated, ChartUpdated, ExportCompleted, ExportFailed, NewsletterPublished];
}

/// <summary>
/// Something a user's webhooks may want to hear about. Features publish it through the Marten outbox
/// in the same transaction as the change; the webhook feature fans it out to matching subscriptions.
/// </summary>
/// <param name="Data">The event payload (snake_case JSON object), e.g. {chart_id, title}.</param>
// Named as before its move here, so events still queued at a deploy are delivered (see FeatureMessages.cs).
[MessageIdentity("ChartCraft.Features.Newsletter.WebhookEvent")]
public sealed record WebhookEvent(Guid UserId, string Type, IReadOnlyDictionary<string, object?> Data, DateTimeOffset At);
