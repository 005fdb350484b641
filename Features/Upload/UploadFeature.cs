using ChartCraft.Infrastructure.Observability;

namespace ChartCraft.Features.Upload;

public static class UploadFeature
{
    public static IServiceCollection AddUploadFeature(this IServiceCollection services)
    {
        services.AddSingleton<DataSetCache>();
        services.AddSingleton<IScrapeTimeGauge, DataSetCacheGauge>();
        services.ConfigureMarten(opts => opts.Schema.For<DataSource>().Index(x => x.UserId).Index(x => x.CreatedAt));
        return services;
    }
}
