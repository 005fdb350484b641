using ChartCraft.Features.Export.Rendering;
using ChartCraft.Infrastructure.Observability;
using Wolverine;

namespace ChartCraft.Features.Export;

public static class ExportFeature
{
    public static IServiceCollection AddExportFeature(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = ExportSettings.Load(configuration);
        services.AddSingleton(settings);
        services.ConfigureWolverine(opts => opts.Policies.Add(new ExportRetryPolicy(settings.RetryDelays)));
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
