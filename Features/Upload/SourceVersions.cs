using ChartCraft.Features.Messages;
using ChartCraft.Features.Plans;
using ChartCraft.Infrastructure.Storage;
using Wolverine;

namespace ChartCraft.Features.Upload;

/// <summary>
/// Gives a data source a new version: the new file stored under a key of its own, the document updated (same id, version
/// one more), and — in the same commit, through the outbox — <see cref="DataSourceUpdated"/> (the charts feature redraws the
/// source's charts) and the <c>data_source.updated</c> webhook event. Files of versions beyond SOURCE_VERSIONS_KEPT are
/// deleted after the commit, and their entries leave the version list with them.
/// </summary>
public sealed class SourceVersions(DataFileIntake intake, PlanEnforcement plans, IBlobStorage storage, DataSetCache cache, DataSourceSettings settings,
    TimeProvider clock, ILogger<SourceVersions> logger)
{
    /// <param name="session">A session with the outbox enrolled (an endpoint's outbox session, or a handler's own), in which
    /// <paramref name="source"/> was loaded: optimistic concurrency makes a racing replacement a conflict.</param>
    /// <param name="bus">The outbox of <paramref name="session"/>.</param>
    public async Task AddVersionAsync(IDocumentSession session, IMessageBus bus, DataSource source, IncomingData data, CancellationToken ct)
    {
        // The plan's file size and stored total (403), under a per-user lock held until this session commits.
        await plans.EnsureCanStoreAsync(session, source.UserId, data.SizeBytes, ct);
        var version = source.Version + 1;
        var storageKey = DataFileIntake.StorageKeyFor(source.UserId, source.Id, version, data.Parsed.FileType);
        var columns = await intake.StoreAsync(data, storageKey, ct);
        var now = clock.GetUtcNow();
        DataFileIntake.Apply(source, data, columns, storageKey, version, now);
        var dropped = source.Versions.Skip(settings.VersionsKept + 1).ToList();
        source.Versions.RemoveAll(dropped.Contains);

        session.Store(source);
        await bus.PublishAsync(new DataSourceUpdated(source.Id, source.UserId, version, now));
        await bus.PublishAsync(new WebhookEvent(source.UserId, WebhookEventTypes.DataSourceUpdated, new Dictionary<string, object?>
        {
            ["data_source_id"] = source.Id, ["version"] = version, ["file_name"] = source.FileName, ["row_count"] = source.RowCount,
            ["column_count"] = source.ColumnCount,
        }, now));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch
        {
            // The old version stays current and complete; the new file goes.
            await storage.DeleteAsync(storageKey, CancellationToken.None);
            throw;
        }
        cache.Put(source.Id, data.Parsed.Data, version);
        await DeleteFilesAsync(dropped);
    }

    async Task DeleteFilesAsync(IEnumerable<DataSourceVersion> dropped)
    {
        foreach (var old in dropped)
        {
            try
            {
                await storage.DeleteAsync(old.StorageKey, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The document no longer names the file: the file lifecycle job removes it as an orphan.
                logger.LogWarning(ex, "Could not delete the file of an old data source version; the cleanup job will");
            }
        }
    }
}
