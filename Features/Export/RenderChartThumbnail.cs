using ChartCraft.Features.Charts;
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
/// the chart (<see cref="ChartThumbnailRendered"/>), then deletes the thumbnails of older revisions. A failure is
/// retried after EXPORT_RETRY_DELAYS_SECONDS (<see cref="ExportRetryPolicy"/>); after the last retry, or without a
/// browser (CHROMIUM_PATH missing) or with CHART_THUMBNAILS off, the thumbnail stays null: the chart is never affected.
/// </summary>
public static class RenderChartThumbnailHandler
{
    public static async Task Handle(ChartRevised message, Envelope envelope, IDocumentSession session, ChartRenderer renderer,
        IBlobStorage storage, ExportSettings settings, TimeProvider clock, ILogger<ChartRevised> logger, CancellationToken ct)
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
            var png = await renderer.RenderThumbnailAsync(session, chart, ThumbnailKeys.Width, ThumbnailKeys.Height, ct);
            var key = ThumbnailKeys.Key(chart.UserId, chart.Id, message.Revision);
            await storage.PutAsync(key, new MemoryStream(png), ThumbnailLinks.ContentType, ct);
            await RecordAsync(session, storage, message, key, clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && envelope.Attempts > settings.RetryDelays.Count)
        {
            session.EjectAllPendingChanges();
            logger.LogWarning(ex, "Thumbnail of chart {ChartId} revision {Revision} not drawn after {Attempts} attempts; it stays empty",
                message.ChartId, message.Revision, envelope.Attempts);
        }
    }

    /// <summary>
    /// Appends to the chart's stream (locking it until the commit, as an edit or delete does), then checks the revision is
    /// still the chart's: if it was revised or deleted meanwhile, the new thumbnail goes instead of being recorded.
    /// </summary>
    static async Task RecordAsync(IDocumentSession session, IBlobStorage storage, ChartRevised message, string key, DateTimeOffset at,
        CancellationToken ct)
    {
        await session.AppendAsync(message.ChartId, new ChartThumbnailRendered(message.Revision, key, at), ct);
        var current = await session.LoadAsync<Chart>(message.ChartId, ct);
        if (current is null || current.Revision != message.Revision)
        {
            session.EjectAllPendingChanges();
            await storage.DeleteAsync(key, ct);
            return;
        }
        // Older revisions' thumbnails are never shown again (the URL names the current one only).
        foreach (var old in await storage.ListAsync(ThumbnailKeys.Folder(message.UserId, message.ChartId), ct))
            if (old.Key != key) await storage.DeleteAsync(old.Key, ct);
    }
}
