namespace ChartCraft.Features.Newsletter.Publishing;

public static class PublishStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>One request to put a chart into a newsletter, and how it went.</summary>
public sealed class PublishJob : IOwnedDocument
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid ChartId { get; set; }
    public string Provider { get; set; } = "";
    /// <summary>The campaign (Mailchimp) or broadcast (Kit) asked for; null means "create a draft".</summary>
    public string? TargetId { get; set; }
    public string? AltText { get; set; }
    public string? LinkUrl { get; set; }
    /// <summary>The app's address as the publish request saw it (see PublicUrls), for the default link to the embed
    /// page: the job runs later, with no request to ask.</summary>
    public string? PublicBaseUrl { get; set; }
    public string Status { get; set; } = PublishStatus.Queued;
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The Mailchimp campaign that holds the chart (the target, or the draft created for it).</summary>
    public string? CampaignId { get; set; }
    /// <summary>The Kit broadcast that holds the chart (the target, or the draft created for it).</summary>
    public string? BroadcastId { get; set; }
    public string? ImageUrl { get; set; }

    public bool IsFinished => Status is PublishStatus.Completed or PublishStatus.Failed;

    /// <summary>The draft this job created on an earlier attempt, so a retry fills it instead of making another.</summary>
    public string? CreatedDraftId => TargetId is null ? CampaignId ?? BroadcastId : null;

    public void Fail(string error, DateTimeOffset at)
    {
        Status = PublishStatus.Failed;
        Error = error;
        CompletedAt = at;
    }
}

/// <summary>202 answer of a publish request.</summary>
public sealed record PublishAccepted(Guid PublishId, string Status);

/// <summary>
/// A publish job as the API shows it. <c>target_id</c> is where the chart went: the campaign or broadcast asked
/// for, or the draft created for it (<c>created_draft</c> true), so a frontend can link to it either way.
/// </summary>
public sealed record PublishJobResponse(Guid PublishId, string Status, string Provider, Guid ChartId, string? TargetId, bool CreatedDraft,
    string? Error, string? CampaignId, string? BroadcastId, string? ImageUrl, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static PublishJobResponse From(PublishJob job) => new(job.Id, job.Status, job.Provider, job.ChartId,
        job.TargetId ?? job.CreatedDraftId, job.CreatedDraftId is not null, job.Error,
        job.CampaignId, job.BroadcastId, job.ImageUrl, job.CreatedAt, job.CompletedAt);
}
