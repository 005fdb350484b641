using ChartCraft.Infrastructure.Hosting;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Export;

/// <summary>What a cleanup pass removed.</summary>
public sealed record FileCleanupResult(int ExpiredExports, int OrphanedUploads);

/// <summary>
/// The file lifecycle: exported files are kept until every job pointing at them has expired
/// (EXPORT_RETENTION_HOURS), uploads only while their data source exists. Files younger than
/// <see cref="Grace"/> are never touched, so an export or upload still being written is safe.
/// </summary>
public sealed class FileLifecycle(IBlobStorage storage, IDocumentStore store, TimeProvider clock, ILogger<FileLifecycle> logger)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(30);

    public async Task<FileCleanupResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.QuerySession();

        var liveExports = (await session.Query<ExportJob>()
                .Where(j => j.StorageKey != null && j.FilesExpireAt > now)
                .Select(j => j.StorageKey!)
                .ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var expired = 0;
        foreach (var blob in await storage.ListAsync("exports/", ct))
        {
            if (liveExports.Contains(blob.Key) || blob.LastModified > now - Grace) continue;
            await storage.DeleteAsync(blob.Key, ct);
            expired++;
        }

        var liveUploads = await DataSources.StoredFilesAsync(session, ct);
        var orphaned = 0;
        foreach (var blob in await storage.ListAsync("uploads/", ct))
        {
            if (liveUploads.Contains(blob.Key) || blob.LastModified > now - Grace) continue;
            await storage.DeleteAsync(blob.Key, ct);
            orphaned++;
        }

        if (expired + orphaned > 0)
            logger.LogInformation("File cleanup removed {Expired} expired exports and {Orphaned} orphaned uploads", expired, orphaned);
        return new FileCleanupResult(expired, orphaned);
    }
}

/// <summary>Runs <see cref="FileLifecycle"/> every FILE_CLEANUP_INTERVAL_MINUTES, on one instance of the cluster per interval.</summary>
public sealed class FileLifecycleSchedule(FileLifecycle lifecycle, ExportSettings settings, IntervalClaims claims, TimeProvider clock,
    ILogger<FileLifecycleSchedule> logger) : OncePerIntervalJob(settings.CleanupInterval, claims, clock, logger)
{
    protected override string Name => "File cleanup";

    protected override string Key => "file-cleanup";

    protected override Task RunOnceAsync(CancellationToken ct) => lifecycle.RunAsync(ct);
}
