using Wolverine.Attributes;

namespace ChartCraft.Features.Messages;

// Durable messages from one feature to another, published through the Marten outbox in the commit of the change.
// Wolverine stores a pending message under its type's name; the identities keep the names these messages had before
// they moved here, so messages still queued when a new version is deployed are delivered, not dead-lettered.

/// <summary>Published (through the outbox) when a data source is deleted; the charts feature removes its charts.</summary>
[MessageIdentity("ChartCraft.Features.Upload.DataSourceDeleted")]
public sealed record DataSourceDeleted(Guid DataSourceId, Guid UserId, DateTimeOffset At);

/// <summary>
/// Published through the outbox in the commit that ends a chart's stream, so features that keep something of the chart
/// drop it durably: the export feature deletes the chart's exports and their files.
/// </summary>
[MessageIdentity("ChartCraft.Features.Charts.ChartRemoved")]
public sealed record ChartRemoved(Guid ChartId, Guid UserId, DateTimeOffset At);

/// <summary>
/// Published through the outbox in the commit that gives a data source a new version (a replaced file, a fetch from its
/// URL): the charts feature redraws every chart on it from the new data, durably, so a crash leaves no chart stale.
/// </summary>
public sealed record DataSourceUpdated(Guid DataSourceId, Guid UserId, int Version, DateTimeOffset At);

/// <summary>
/// Published through the outbox in the commit that creates a chart or makes a new revision of it; the export feature
/// renders the revision's thumbnail in the background. A message of an older revision finds a newer one and does nothing.
/// </summary>
public sealed record ChartRevised(Guid ChartId, Guid UserId, int Revision, DateTimeOffset At);
