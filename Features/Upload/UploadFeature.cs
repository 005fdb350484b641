using ChartCraft.Infrastructure.Observability;

namespace ChartCraft.Features.Upload;

public static class UploadFeature
{
    public static IServiceCollection AddUploadFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(DataSourceSettings.Load(config));
        services.AddSingleton<DataSetCache>();
        services.AddSingleton<DataFileIntake>();
        services.AddSingleton<SourceVersions>();
        services.AddSingleton<IScrapeTimeGauge, DataSetCacheGauge>();
        services.ConfigureMarten(opts => opts.Schema.For<DataSource>()
            // A replaced file and a scheduled fetch of the same source may race: the later commit is a conflict, not a lost version.
            .UseOptimisticConcurrency(true)
            .Index(x => x.UserId).Index(x => x.CreatedAt).Index(x => x.NextFetchAt));
        return services;
    }
}
