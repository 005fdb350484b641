namespace ChartCraft.Features.Webhooks;

/// <summary>The states of one delivery.</summary>
public static class DeliveryStatuses
{
    /// <summary>Not attempted yet.</summary>
    public const string Pending = "pending";

    /// <summary>The receiver answered 2xx.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>The last attempt failed; another is scheduled at <c>next_attempt_at</c>.</summary>
    public const string Failed = "failed";

    /// <summary>No more attempts: the schedule ran out, the receiver answered 410, or the target was refused.</summary>
    public const string GaveUp = "gave_up";
}

/// <summary>One try at sending a delivery: when, what came back, how long it took.</summary>
/// <param name="Attempt">1 for the first try, then one more per retry.</param>
/// <param name="At">When it was sent (its <c>webhook-timestamp</c>).</param>
/// <param name="StatusCode">The receiver's HTTP status; null when no response arrived (refused, timeout, connection error).</param>
/// <param name="DurationMs">From sending to the response headers, or to the failure.</param>
/// <param name="Error">What went wrong, for the user reading the log; null on success.</param>
public sealed record WebhookAttempt(int Attempt, DateTimeOffset At, int? StatusCode, long DurationMs, string? Error);

/// <summary>
/// One event for one subscription. Its id is the <c>webhook-id</c> header, the same on every retry so a
/// receiver can drop duplicates; the body is fixed when the event fans out, so every attempt sends the same bytes.
/// </summary>
public sealed class WebhookDelivery : IOwnedDocument, ICreatedDocument
{
    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    public Guid UserId { get; set; }
    public string EventType { get; set; } = "";
    public string Body { get; set; } = "";
    public string Status { get; set; } = DeliveryStatuses.Pending;
    public List<WebhookAttempt> Attempts { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Why the delivery gave up without an attempt of its own (e.g. the subscription was disabled).</summary>
    public string? Error { get; set; }

    public bool IsFinished => Status is DeliveryStatuses.Succeeded or DeliveryStatuses.GaveUp;
}

/// <summary>A delivery as the deliveries log shows it, with every attempt.</summary>
public sealed record WebhookDeliveryResponse(
    Guid DeliveryId,
    Guid WebhookId,
    string EventType,
    string Status,
    int Attempts,
    int? ResponseCode,
    long? DurationMs,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<WebhookAttempt> AttemptLog)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d)
    {
        var last = d.Attempts.LastOrDefault();
        return new(d.Id, d.SubscriptionId, d.EventType, d.Status, d.Attempts.Count, last?.StatusCode, last?.DurationMs,
            last?.Error ?? d.Error, d.CreatedAt, last?.At, d.NextAttemptAt, d.CompletedAt, d.Attempts);
    }
}
