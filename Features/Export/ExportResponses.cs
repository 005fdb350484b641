using ChartCraft.Features.Export.Rendering;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Export;

/// <summary>Export jobs as the API shows them, with a fresh download link for completed, unexpired files.</summary>
public sealed class ExportResponses(IBlobStorage storage, StorageSettings storageSettings, TimeProvider clock)
{
    public async Task<ExportResponse> ToResponseAsync(ExportJob job, CancellationToken ct)
    {
        DownloadLink? link = null;
        if (job is { Status: ExportStatuses.Completed, StorageKey: { } key } && job.FilesExpireAt > clock.GetUtcNow())
        {
            // The link never outlives the file.
            var lifetime = TimeSpan.FromTicks(Math.Min(storageSettings.DownloadLinkLifetime.Ticks, (job.FilesExpireAt.Value - clock.GetUtcNow()).Ticks));
            link = await storage.GetDownloadLinkAsync(key, job.FileName ?? "export", ExportFormats.ContentType(job.Format), lifetime, ct);
        }
        return new ExportResponse(job.Id, job.ChartIds, job.Format, job.Status, link?.Url.AbsoluteUri, link?.ExpiresAt, job.SizeBytes,
            job.Error, job.CreatedAt, job.CompletedAt, job.BatchId);
    }

    public static Task<ExportJob> LoadOwnedAsync(IQuerySession session, Guid exportId, Guid userId, CancellationToken ct) =>
        session.LoadOwnedAsync<ExportJob>(exportId, userId, id => new ProblemException(404, "Export not found", $"No export {id}."), ct);
}

/// <summary>Renderer failures as the HTTP answers a client can act on.</summary>
public static class RenderingProblems
{
    public static ProblemException? From(Exception exception) => exception switch
    {
        RenderingBusyException => new ProblemException(503, "The renderer is busy", "All render slots stayed busy; retry in a few seconds."),
        RenderTimeoutException => new ProblemException(503, "The render timed out", "The chart took too long to draw; retry, or export a smaller image."),
        ChromiumUnavailableException => new ProblemException(503, "The renderer is unavailable", "The headless browser could not be started."),
        ArgumentOutOfRangeException e => new ProblemException(422, "Image too large", e.Message.Split('\n')[0]),
        _ => null,
    };
}
