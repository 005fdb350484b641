using ChartCraft.Features.Messages;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Infrastructure.Observability;
using Wolverine;

namespace ChartCraft.Features.Export;

public static class ExportFeature
{
    /// <summary>Thumbnails drawn at once per instance (see <see cref="RenderChartThumbnailHandler"/>).</summary>
    public const int ThumbnailRendersAtOnce = 1;

    public static IServiceCollection AddExportFeature(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = ExportSettings.Load(configuration);
        services.AddSingleton(settings);
        services.ConfigureWolverine(opts =>
        {
            opts.Policies.Add(new ExportRetryPolicy(settings.RetryDelays));
            // Thumbnails are background work: one at a time per instance, so the other render pages stay free for
            // users' exports. Under 1 000 simulated users charts were made at 25/s, their thumbnails held every page
            // of every instance, and exports waited up to 30 s (some then got 503); now thumbnails fall behind instead.
            opts.LocalQueueFor<ChartRevised>().MaximumParallelMessages(ThumbnailRendersAtOnce);
        });
        services.AddChartRendering(settings.Rendering);
        services.AddSingleton<ExportFileStore>();
        services.AddSingleton<ChartRenderer>();
        services.AddSingleton<IChartImageExporter>(sp => sp.GetRequiredService<ChartRenderer>());
        services.AddSingleton<ExportResponses>();
        services.AddSingleton<FileLifecycle>();
        services.AddHostedService<FileLifecycleSchedule>();
        services.AddSingleton<IScrapeTimeGauge, ExportQueueGauge>();
        services.ConfigureMarten(opts =>
            opts.Schema.For<ExportJob>().Index(x => x.UserId).Index(x => x.StorageKey!).Index(x => x.BatchId!));
        return services;
    }
}

/// <summary>
/// chartcraft_export_queue_depth and chartcraft_export_queue_oldest_age_seconds, read from the database at scrape
/// time: the queue is shared by every instance.
/// </summary>
public sealed class ExportQueueGauge(IDocumentStore store, TimeProvider clock) : IScrapeTimeGauge
{
    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var waiting = session.Query<ExportJob>().Where(j => j.Status == ExportStatuses.Queued || j.Status == ExportStatuses.Running);
        AppMetrics.ExportQueueDepth.Set(await waiting.CountAsync(ct));
        var oldest = await waiting.OrderBy(j => j.CreatedAt).Select(j => j.CreatedAt).Take(1).ToListAsync(ct);
        AppMetrics.ExportQueueOldestAge.Set(oldest.Count == 0 ? 0 : Math.Max(0, (clock.GetUtcNow() - oldest[0]).TotalSeconds));
    }
}
