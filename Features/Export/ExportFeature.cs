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
        services.ConfigureMarten(opts =>
            opts.Schema.For<ExportJob>().Index(x => x.UserId).Index(x => x.StorageKey!).Index(x => x.BatchId!));
        return services;
    }
}
