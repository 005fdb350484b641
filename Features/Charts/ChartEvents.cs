using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Insights;

namespace ChartCraft.Features.Charts;

// Every event of a chart's stream, in one place: the Chart projection applies the first four and the thumbnail; exports
// and newsletter publishes append ChartExported and ChartPublished so a chart's history shows where it went. Marten stores events by these type names
// (chart_exported, ...), not by namespace, so they can move between files freely.

/// <summary>First event of a chart's stream.</summary>
/// <param name="TemplateId">The template whose style the chart was made with (absent in events written before templates).</param>
public sealed record ChartCreated(Guid ChartId, Guid UserId, Guid DataSourceId, string Title, string ChartType,
    ChartRequestConfig Config, JsonObject ChartConfig, ChartInsights? AiInsights, bool IsPublic, DateTimeOffset At,
    Guid? TemplateId = null);

/// <summary>A revision: the chart after the change, and which fields changed.</summary>
public sealed record ChartUpdated(IReadOnlyList<string> Changes, string Title, string ChartType, ChartRequestConfig Config,
    JsonObject ChartConfig, ChartInsights? AiInsights, bool IsPublic, DateTimeOffset At);

/// <summary>
/// The chart's data source got a new version and the chart was redrawn from it with its config unchanged; when the new data
/// cannot feed it, <paramref name="Status"/> is needs_attention, <paramref name="StatusReason"/> names the column and
/// <paramref name="ChartConfig"/> is the last good one.
/// </summary>
public sealed record ChartDataRefreshed(Guid DataSourceId, int DataSourceVersion, JsonObject ChartConfig, ChartInsights? AiInsights,
    string Status, string? StatusReason, DateTimeOffset At);

/// <summary>The chart was deleted (by its owner, or with its data source); the stream stays as history.</summary>
public sealed record ChartDeleted(string Reason, DateTimeOffset At);

/// <summary>Appended to a chart's stream when an export of it completes.</summary>
public sealed record ChartExported(Guid ExportId, string Format, DateTimeOffset At);

/// <summary>Appended to the chart's event stream when the chart went into a newsletter.</summary>
public sealed record ChartPublished(Guid PublishId, string Provider, string? TargetId, DateTimeOffset At);

/// <summary>
/// Appended by the export feature when it has rendered the thumbnail of a revision of the chart and stored it under
/// <paramref name="StorageKey"/> (the Chart projection keeps it; the revision does not change).
/// </summary>
public sealed record ChartThumbnailRendered(int Revision, string StorageKey, DateTimeOffset At, string? Drawing = null);
