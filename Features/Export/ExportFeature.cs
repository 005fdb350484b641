using ChartCraft.Features.Export.Rendering;
using Marten;

namespace ChartCraft.Features.Export;

public static class ExportFeature
{
    public static IServiceCollection AddExportFeature(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = ExportSettings.Load(configuration);
        RunExportHandler.RetryDelays = settings.RetryDelays;
        services.AddSingleton(settings);
        services.AddChartRendering(settings.Rendering);
        services.AddSingleton<ChartRenderer>();
        services.AddSingleton<IChartImageExporter>(sp => sp.GetRequiredService<ChartRenderer>());
        services.AddSingleton<ExportResponses>();
        services.AddSingleton<FileLifecycle>();
        services.AddHostedService<FileLifecycleSchedule>();
        services.AddHostedService<ExportQueueMetrics>();
        services.ConfigureMarten(opts =>
            opts.Schema.For<ExportJob>().Index(x => x.UserId).Index(x => x.StorageKey!).Index(x => x.BatchId!));
        return services;
    }
}

/// <summary>Keeps chartcraft_export_queue_depth current: counted in the database just before each scrape.</summary>
public sealed class ExportQueueMetrics(IDocumentStore store, ILogger<ExportQueueMetrics> logger) : IHostedService
{
    // The registry is process-wide and keeps callbacks forever: a stopped host's callback must do nothing.
    volatile bool _stopped;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(async ct =>
        {
            if (_stopped) return;
            try
            {
                await using var session = store.QuerySession();
                var depth = await session.Query<ExportJob>().CountAsync(j => j.Status == ExportStatuses.Queued || j.Status == ExportStatuses.Running, ct);
                Infrastructure.Observability.AppMetrics.ExportQueueDepth.Set(depth);
            }
            catch (Npgsql.NpgsqlException ex)
            {
                // Metrics must still scrape while the database is down (that is when they matter); the gauge keeps its last value.
                logger.LogWarning(ex, "Export queue depth not updated: database unavailable");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        return Task.CompletedTask;
    }
}
