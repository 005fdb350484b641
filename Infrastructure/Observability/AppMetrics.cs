using Prometheus;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>
/// The service's own Prometheus metrics, next to the per-route HTTP counts and latencies. Labels are few and fixed
/// (formats, statuses, cache and job names): never ids, user data or connection details.
/// </summary>
public static class AppMetrics
{
    public static readonly Counter Exports = Metrics.CreateCounter("chartcraft_exports_total",
        "Exports finished, by format and final status.", new CounterConfiguration { LabelNames = ["format", "status"] });

    public static readonly Gauge ExportQueueDepth = Metrics.CreateGauge("chartcraft_export_queue_depth",
        "Export jobs queued or running (read from the database at scrape time).");

    public static readonly Gauge ExportQueueOldestAge = Metrics.CreateGauge("chartcraft_export_queue_oldest_age_seconds",
        "Age of the oldest export job still queued or running, 0 when none (read from the database at scrape time).");

    /// <summary>Every cache of the app, by name: dataset, analysis, suggestions, chart_config, insights, chart_aggregation, session_revocation.</summary>
    public static readonly Counter CacheRequests = Metrics.CreateCounter("chartcraft_cache_requests_total",
        "Cache lookups by cache and result (hit, or miss: computed or reloaded).", new CounterConfiguration { LabelNames = ["cache", "result"] });

    /// <summary>Parsed data sets dropped from memory: size (room for a newer set) or expired (unused for an hour).</summary>
    public static readonly Counter DataSetCacheEvictions = Metrics.CreateCounter("chartcraft_dataset_cache_evictions_total",
        "Parsed data sets dropped from memory, by reason: size (room for a more recent set) or expired (unused for an hour).",
        new CounterConfiguration { LabelNames = ["reason"] });

    public static readonly Counter DataSetCacheNotKept = Metrics.CreateCounter("chartcraft_dataset_cache_not_kept_total",
        "Parsed data sets served but not cached because one alone is larger than DATASET_CACHE_MB.");

    public static readonly Gauge DataSetCacheBytes = Metrics.CreateGauge("chartcraft_dataset_cache_bytes",
        "Estimated bytes of parsed data sets this instance holds in memory (read at scrape time).");

    public static readonly Gauge DataSetCacheEntries = Metrics.CreateGauge("chartcraft_dataset_cache_entries",
        "Parsed data sets this instance holds in memory (read at scrape time).");

    public static readonly Gauge DataSetCacheLimitBytes = Metrics.CreateGauge("chartcraft_dataset_cache_limit_bytes",
        "DATASET_CACHE_MB of this instance, in bytes.");

    // From 10 ms (a webhook to a fast receiver) to 10 minutes (a report rendered after a browser restart).
    public static readonly Histogram JobDuration = Metrics.CreateHistogram("chartcraft_job_duration_seconds",
        "Time to handle one background message (one attempt), by message type.", new HistogramConfiguration
        {
            LabelNames = ["job"],
            Buckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
        });

    public static readonly Counter JobsFailed = Metrics.CreateCounter("chartcraft_jobs_failed_total",
        "Background jobs that failed for good, by message type and how: dead_lettered (retries exhausted) or the outcome a handler recorded.",
        new CounterConfiguration { LabelNames = ["job", "reason"] });

    static AppMetrics()
    {
        // Both reasons are on the first scrape, at 0, so a rate() over them never starts from nothing.
        DataSetCacheEvictions.WithLabels("size");
        DataSetCacheEvictions.WithLabels("expired");
    }

    public static void CacheHit(string cache) => CacheRequests.WithLabels(cache, "hit").Inc();
    public static void CacheMiss(string cache) => CacheRequests.WithLabels(cache, "miss").Inc();
}
