using Prometheus;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>The service's own Prometheus metrics, next to the per-route HTTP counts and latencies.</summary>
public static class AppMetrics
{
    public static readonly Counter Exports = Metrics.CreateCounter("chartcraft_exports_total",
        "Exports finished, by format and final status.", new CounterConfiguration { LabelNames = ["format", "status"] });

    public static readonly Gauge ExportQueueDepth = Metrics.CreateGauge("chartcraft_export_queue_depth",
        "Export jobs queued or running (read from the database at scrape time).");

    public static readonly Counter DataSetCache = Metrics.CreateCounter("chartcraft_dataset_cache_requests_total",
        "Parsed data set lookups: hit (in memory) or miss (reloaded from storage).", new CounterConfiguration { LabelNames = ["result"] });
}
