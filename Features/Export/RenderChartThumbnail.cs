using ChartCraft.Features.Charts;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Features.Messages;
using ChartCraft.Infrastructure.Storage;
using Wolverine;

namespace ChartCraft.Features.Export;

/// <summary>
/// Where chart thumbnails live: a folder per chart under the owner's id (deleting the chart or the account finds them
/// all), one PNG per revision, so a thumbnail of an older revision is never taken for the current one.
/// </summary>
public static class ThumbnailKeys
{
    /// <summary>A list tile: wide enough to tell the shape of the data, small enough (a few KiB) to load by the dozen.</summary>
    public const int Width = 400;
    public const int Height = 250;

    public static string Folder(Guid userId, Guid chartId) => $"thumbnails/{userId:N}/{chartId:N}/";

    public static string Key(Guid userId, Guid chartId, int revision) => $"{Folder(userId, chartId)}r{revision}.png";
}

/// <summary>
/// Draws the thumbnail of a chart revision after it commits (<see cref="ChartRevised"/>), stores it and records it on
/// the chart (<see cref="ChartThumbnailRendered"/>), then deletes the thumbnails of older revisions. When one of the
/// user's charts already has a thumbnail of exactly this drawing (a new title or description, a duplicate, the same
/// data charted again), its picture is copied instead of rendered: a render costs Chromium ≈ 30 ms of processor,
/// the copy a query and a read of a few KiB. A render that found Chromium busy with users' exports for the whole
/// queue timeout is sent again for later and spends no attempt: under a long export load thumbnails wait, and none
/// is given up. Any other failure is
/// retried after EXPORT_RETRY_DELAYS_SECONDS (<see cref="ExportRetryPolicy"/>); after the last retry, or without a
/// browser (CHROMIUM_PATH missing) or with CHART_THUMBNAILS off, the thumbnail stays null: the chart is never affected.
/// </summary>
public static class RenderChartThumbnailHandler
{
    public static async Task Handle(ChartRevised message, Envelope envelope, IDocumentSession session, IMessageContext bus,
        ChartRenderer renderer, IBlobStorage storage, ExportSettings settings, TimeProvider clock, ILogger<ChartRevised> logger,
        CancellationToken ct)
    {
        if (!settings.Thumbnails) return;
        var chart = await session.LoadAsync<Chart>(message.ChartId, ct);
        // Deleted, revised again (that revision's own message draws it), or drawn already (a redelivery).
        if (chart is null || chart.UserId != message.UserId || chart.Revision != message.Revision
            || chart.ThumbnailRevision == message.Revision) return;
        if (!File.Exists(settings.Rendering.ChromiumPath))
        {
            logger.LogDebug("No browser at {Path}: chart {ChartId} keeps no thumbnail", settings.Rendering.ChromiumPath, chart.Id);
            return;
        }

        try
        {
            var drawing = await renderer.ThumbnailDrawingAsync(session, chart, ThumbnailKeys.Width, ThumbnailKeys.Height, ct);
            var png = await StoredPictureAsync(session, storage, chart.UserId, drawing.Fingerprint, ct)
                      ?? await renderer.RenderThumbnailAsync(drawing, ct);
            var key = ThumbnailKeys.Key(chart.UserId, chart.Id, message.Revision);
            await storage.PutAsync(key, new MemoryStream(png), ThumbnailLinks.ContentType, ct);
            await RecordAsync(session, storage, message, new ChartThumbnailRendered(message.Revision, key, clock.GetUtcNow(),
                drawing.Fingerprint), ct);
        }
        catch (RenderingBusyException)
        {
            session.EjectAllPendingChanges();
            logger.LogDebug("Renderer busy with exports: thumbnail of chart {ChartId} revision {Revision} drawn later",
                message.ChartId, message.Revision);
            await bus.ScheduleAsync(message, settings.Rendering.QueueTimeout);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && envelope.Attempts > settings.RetryDelays.Count)
        {
            session.EjectAllPendingChanges();
            logger.LogWarning(ex, "Thumbnail of chart {ChartId} revision {Revision} not drawn after {Attempts} attempts; it stays empty",
                message.ChartId, message.Revision, envelope.Attempts);
        }
    }

    /// <summary>
    /// The stored thumbnail of one of this user's charts (this one's earlier revision included) that shows exactly this
    /// drawing, or null. Only the user's own charts are looked at, so deleting a chart or an account never takes a
    /// picture another owner's chart points at: each chart keeps its own copy.
    /// </summary>
    static async Task<byte[]?> StoredPictureAsync(IQuerySession session, IBlobStorage storage, Guid userId, string fingerprint,
        CancellationToken ct)
    {
        var keys = await session.Query<Chart>()
            .Where(c => c.UserId == userId && c.ThumbnailDrawing == fingerprint && c.ThumbnailKey != null)
            .Select(c => c.ThumbnailKey!).Take(3).ToListAsync(ct);
        foreach (var key in keys)
        {
            // Gone when that chart was deleted or redrawn since the query: try the next, or render.
            await using var stored = await storage.OpenReadAsync(key, ct);
            if (stored is null) continue;
            using var copy = new MemoryStream();
            await stored.CopyToAsync(copy, ct);
            return copy.ToArray();
        }
        return null;
    }

    /// <summary>
    /// Appends to the chart's stream (locking it until the commit, as an edit or delete does), then checks the revision is
    /// still the chart's: if it was revised or deleted meanwhile, the new thumbnail goes instead of being recorded.
    /// </summary>
    static async Task RecordAsync(IDocumentSession session, IBlobStorage storage, ChartRevised message, ChartThumbnailRendered rendered,
        CancellationToken ct)
    {
        var key = rendered.StorageKey;
        await session.AppendAsync(message.ChartId, rendered, ct);
        var current = await session.LoadAsync<Chart>(message.ChartId, ct);
        if (current is null || current.Revision != message.Revision)
        {
            session.EjectAllPendingChanges();
            await storage.DeleteAsync(key, ct);
            return;
        }
        // Older revisions' thumbnails are never shown again (the URL names the current one only). A first revision has
        // none, so it lists nothing: a listing per new chart cost s3rver about half its processor at 1 000 simulated users.
        if (message.Revision <= 1) return;
        foreach (var old in await storage.ListAsync(ThumbnailKeys.Folder(message.UserId, message.ChartId), ct))
            if (old.Key != key) await storage.DeleteAsync(old.Key, ct);
    }
}
