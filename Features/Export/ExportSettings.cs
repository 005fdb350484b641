using ChartCraft.Features.Export.Rendering;
using ChartCraft.Infrastructure.Configuration;
using System.Globalization;
using static ChartCraft.Infrastructure.Configuration.SettingValues;

namespace ChartCraft.Features.Export;

/// <summary>
/// Export configuration: CHROMIUM_PATH, RENDER_POOL_SIZE, RENDER_WARM_UP (start Chromium at start-up), RENDER_NICENESS,
/// RENDER_QUEUE_TIMEOUT_SECONDS (how long a render waits for a page), RENDER_BACKGROUND_HOLDOFF_SECONDS (how long
/// thumbnails wait after a user's render had to queue),
/// EXPORT_RETENTION_HOURS (how long exported files are kept), EXPORT_RETRY_DELAYS_SECONDS (backoff of failed
/// renders), FILE_CLEANUP_INTERVAL_MINUTES (how often expired and orphaned files are removed), and the
/// <see cref="ExportLimits"/> that keep one user from filling the renderer, and CHART_THUMBNAILS (render a thumbnail of
/// every chart revision in the background).
/// </summary>
public sealed record ExportSettings(
    RenderingOptions Rendering,
    TimeSpan Retention,
    IReadOnlyList<TimeSpan> RetryDelays,
    TimeSpan CleanupInterval,
    ExportLimits Limits,
    bool Thumbnails = true)
{
    public static ExportSettings Load(IConfiguration config)
    {
        var rendering = new RenderingOptions
        {
            ChromiumPath = config["CHROMIUM_PATH"] is { Length: > 0 } path ? path : "/usr/bin/chromium",
            PoolSize = Int(config, "RENDER_POOL_SIZE", 2, 1, 16),
            WarmUpOnStart = Bool(config, "RENDER_WARM_UP", false),
            Niceness = Int(config, "RENDER_NICENESS", RenderingOptions.DefaultNiceness, 0, 19),
            QueueTimeout = TimeSpan.FromSeconds(Int(config, "RENDER_QUEUE_TIMEOUT_SECONDS", 30, 1, 600)),
            BackgroundHoldOff = TimeSpan.FromSeconds(Int(config, "RENDER_BACKGROUND_HOLDOFF_SECONDS", 5, 0, 600)),
        };
        var delays = (config["EXPORT_RETRY_DELAYS_SECONDS"] is { Length: > 0 } list ? list : "2,10,60")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 3600
                ? TimeSpan.FromSeconds(s)
                : throw new InvalidConfigurationException("EXPORT_RETRY_DELAYS_SECONDS", $"'{d}' is not a number of seconds (0–3600]"))
            .ToList();
        return new ExportSettings(rendering,
            TimeSpan.FromHours(Int(config, "EXPORT_RETENTION_HOURS", 24, 1, 24 * 365)),
            delays,
            Minutes(config, "FILE_CLEANUP_INTERVAL_MINUTES", 60, 0.05, 24 * 60),
            new ExportLimits(
                // 64 MP is the most the renderer draws (RenderingOptions.MaxImagePixels).
                Int(config, "EXPORT_MAX_IMAGE_MEGAPIXELS", 25, 1, 64),
                Int(config, "EXPORT_MAX_BATCH_MEGAPIXELS", 100, 1, 100_000),
                Int(config, "EXPORT_MAX_QUEUED_PER_USER", 100, 1, 100_000),
                Int(config, "EXPORT_MAX_QUEUED_MEGAPIXELS_PER_USER", 200, 1, 1_000_000)),
            Bool(config, "CHART_THUMBNAILS", true));
    }
}

/// <summary>
/// How much rendering one request and one user may ask for. Render time grows with pixels, so pixels are what is bounded:
/// EXPORT_MAX_IMAGE_MEGAPIXELS per image, EXPORT_MAX_BATCH_MEGAPIXELS per batch (both 422), and per user, counted in the
/// database across all instances, EXPORT_MAX_QUEUED_PER_USER exports and EXPORT_MAX_QUEUED_MEGAPIXELS_PER_USER queued or
/// running (429 with Retry-After).
/// </summary>
public sealed record ExportLimits(int MaxImageMegapixels, int MaxBatchMegapixels, int MaxQueuedPerUser, int MaxQueuedMegapixelsPerUser);
