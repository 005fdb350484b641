using ChartCraft.Features.Charts;
using ChartCraft.Features.Messages;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Export;

/// <summary>
/// A deleted chart takes its exports and thumbnails with it: their jobs (GET /api/export/{id} becomes 404) and their files (a download
/// link names only a storage key, so a link handed out earlier stops working only when the file is gone). A report of
/// several charts goes when any of them is deleted. Durable: <see cref="ChartRemoved"/> commits with the delete, and a
/// storage failure rolls the job deletes back and retries the whole message.
/// </summary>
public static class RemoveExportsOfDeletedChartHandler
{
    public static async Task Handle(ChartRemoved message, IDocumentSession session, IBlobStorage storage,
        ILogger<ChartRemoved> logger, CancellationToken ct)
    {
        var jobs = await session.Query<ExportJob>()
            .Where(j => j.UserId == message.UserId && j.ChartIds.Contains(message.ChartId))
            .ToListAsync(ct);
        var files = jobs.Select(j => j.StorageKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
        // Also images no job points at any more (older revisions, the newsletter's renders) and the thumbnails: they show
        // the chart too.
        foreach (var blob in await storage.ListAsync(ExportFileStore.ChartFolder(message.UserId, message.ChartId), ct))
            files.Add(blob.Key);
        foreach (var blob in await storage.ListAsync(ThumbnailKeys.Folder(message.UserId, message.ChartId), ct))
            files.Add(blob.Key);
        // Files first: if a delete fails, the jobs stay and the retry finds them again.
        foreach (var key in files) await storage.DeleteAsync(key, ct);
        foreach (var job in jobs) session.Delete(job);
        logger.LogInformation("Chart {ChartId} deleted: removed {Jobs} exports and {Files} files", message.ChartId, jobs.Count, files.Count);
    }
}

/// <summary>Closing the race between an export that is rendering and a delete of its chart.</summary>
public static class ExportedCharts
{
    /// <summary>
    /// Appends <see cref="ChartExported"/> to each chart's stream, which locks the stream until the session commits, then
    /// checks the charts still exist. A delete appends to the same stream, so either it committed first (false: the
    /// caller must not keep the export, since the delete's cleanup may already have run) or it waits for this commit and
    /// its cleanup then finds the export.
    /// </summary>
    public static async Task<bool> RecordAsync(IDocumentSession session, ExportJob job, DateTimeOffset at, CancellationToken ct)
    {
        var chartIds = job.ChartIds.Distinct().Order().ToArray(); // one lock order for every writer: no deadlock between reports
        foreach (var chartId in chartIds) await session.AppendAsync(chartId, new ChartExported(job.Id, job.Format, at), ct);
        var existing = await session.LoadManyAsync<Chart>(ct, chartIds);
        return existing.Count(c => c.UserId == job.UserId) == chartIds.Length;
    }

    /// <summary>Deletes what an export of a chart deleted meanwhile has written: its file(s) and its job.</summary>
    public static async Task DiscardAsync(IDocumentStore store, IBlobStorage storage, ExportJob job, CancellationToken ct)
    {
        if (job.StorageKey is { } key) await storage.DeleteAsync(key, ct);
        await using var session = store.LightweightSession();
        session.Delete<ExportJob>(job.Id);
        await session.SaveChangesAsync(ct);
    }
}
