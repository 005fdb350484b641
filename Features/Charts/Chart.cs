using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Insights;
using Marten.Events.Aggregation;

namespace ChartCraft.Features.Charts;

/// <summary>
/// A chart as it stands now: the inline projection of its event stream (one stream per chart), so every
/// change is kept as an event and the history comes for free.
/// </summary>
public sealed class Chart : IOwnedDocument, ICreatedDocument
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid DataSourceId { get; set; }
    public string Title { get; set; } = "";
    public string ChartType { get; set; } = "";
    public ChartRequestConfig Config { get; set; } = new();
    public JsonObject ChartConfig { get; set; } = new();
    public ChartInsights? AiInsights { get; set; }
    public bool IsPublic { get; set; }
    /// <summary>The revision: 1 when created, one more on every change (the stream version).</summary>
    public int Revision { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The template whose style the chart was made with, if any.</summary>
    public Guid? TemplateId { get; set; }
    /// <summary>Storage key of the latest thumbnail rendered, and the revision it shows (shown only while current).</summary>
    public string? ThumbnailKey { get; set; }
    public int? ThumbnailRevision { get; set; }
    /// <summary>
    /// Fingerprint of what that thumbnail shows (numbers, colours, size; no titles): another revision or chart of the
    /// same user with the same drawing reuses the picture instead of rendering it again. Null before it was recorded.
    /// </summary>
    public string? ThumbnailDrawing { get; set; }
    /// <summary><see cref="ChartStatuses.Ok"/>, or <see cref="ChartStatuses.NeedsAttention"/> when new data no longer fits the chart.</summary>
    public string Status { get; set; } = ChartStatuses.Ok;
    /// <summary>Why the chart needs attention, naming the column; null when ok.</summary>
    public string? StatusReason { get; set; }
}

/// <summary>Whether a chart is drawn from its source's current data.</summary>
public static class ChartStatuses
{
    public const string Ok = "ok";
    /// <summary>The source's new data cannot feed the chart (a column gone or of another type); the last good chart_config is kept.</summary>
    public const string NeedsAttention = "needs_attention";
}

/// <summary>Builds <see cref="Chart"/> from its events, in the same transaction as the events (inline).</summary>
public sealed class ChartProjection : SingleStreamProjection<Chart, Guid>
{
    public static Chart Create(ChartCreated e) => new()
    {
        Id = e.ChartId,
        UserId = e.UserId,
        DataSourceId = e.DataSourceId,
        Title = e.Title,
        ChartType = e.ChartType,
        Config = e.Config,
        ChartConfig = e.ChartConfig,
        AiInsights = e.AiInsights,
        IsPublic = e.IsPublic,
        Revision = 1,
        CreatedAt = e.At,
        UpdatedAt = e.At,
        TemplateId = e.TemplateId,
    };

    public static void Apply(ChartUpdated e, Chart chart)
    {
        chart.Title = e.Title;
        chart.ChartType = e.ChartType;
        chart.Config = e.Config;
        chart.ChartConfig = e.ChartConfig;
        chart.AiInsights = e.AiInsights;
        chart.IsPublic = e.IsPublic;
        chart.UpdatedAt = e.At;
        chart.Revision++;
        // A change that redrew the chart drew it from the current data: whatever needed attention was fixed.
        if (e.Changes.Any(RedrawingChanges.Contains))
        {
            chart.Status = ChartStatuses.Ok;
            chart.StatusReason = null;
        }
    }

    static readonly string[] RedrawingChanges = ["title", "chart_type", "config", "ai_insights"];

    public static void Apply(ChartDataRefreshed e, Chart chart)
    {
        chart.ChartConfig = e.ChartConfig;
        chart.AiInsights = e.AiInsights;
        chart.Status = e.Status;
        chart.StatusReason = e.StatusReason;
        chart.UpdatedAt = e.At;
        chart.Revision++;
    }

    /// <summary>Not a revision: the picture of one. A thumbnail of an older revision (rendered late) is not kept.</summary>
    public static void Apply(ChartThumbnailRendered e, Chart chart)
    {
        if (e.Revision < chart.Revision) return;
        chart.ThumbnailKey = e.StorageKey;
        chart.ThumbnailRevision = e.Revision;
        chart.ThumbnailDrawing = e.Drawing;
    }

    public static bool ShouldDelete(ChartDeleted e) => true;
}

/// <summary>
/// Public view counts, apart from the event stream: a view is not a revision, and an atomic SQL
/// increment on this document counts concurrent views exactly.
/// </summary>
public sealed class ChartViews
{
    public Guid Id { get; set; }
    public long ViewCount { get; set; }
}

/// <summary>A chart as the API shows it; <c>thumbnail_url</c> is null until the current revision's thumbnail is rendered.</summary>
public sealed record ChartResponse(Guid ChartId, Guid DataSourceId, string Title, string ChartType, ChartRequestConfig Config,
    JsonObject ChartConfig, ChartInsights? AiInsights, bool IsPublic, long ViewCount, int Revision, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, string Status, string? StatusReason, string? ThumbnailUrl, Guid? TemplateId)
{
    /// <param name="thumbnails">Signs the thumbnail's link; null where a link that expires is of no use (the account zip).</param>
    public static ChartResponse From(Chart chart, long views, ThumbnailLinks? thumbnails) => new(chart.Id, chart.DataSourceId, chart.Title,
        chart.ChartType, chart.Config, chart.ChartConfig, chart.AiInsights, chart.IsPublic, views, chart.Revision, chart.CreatedAt,
        chart.UpdatedAt, chart.Status, chart.StatusReason, thumbnails?.UrlOf(chart), chart.TemplateId);
}
