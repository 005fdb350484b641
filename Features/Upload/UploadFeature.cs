using ChartCraft.Infrastructure.Observability;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChartCraft.Features.Upload;

public static class UploadFeature
{
    public static IServiceCollection AddUploadFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(DataSourceSettings.Load(config));
        services.AddSingleton<DataSetCache>();
        services.AddSingleton<DataFileIntake>();
        services.AddSingleton<SourceVersions>();
        services.AddSingleton<SourceRefresh>();
        services.AddSingleton<SourceFetcher>();
        services.AddSingleton<SourceUrlGuard>();
        services.TryAddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        services.AddSingleton<SourceRefreshSchedule>();
        services.AddHostedService(sp => sp.GetRequiredService<SourceRefreshSchedule>());
        services.AddHttpClient(SourceFetcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // Every connection, a redirect's too, goes through the guard, so following redirects cannot reach inside.
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 5,
                // Through a proxy the checked connection would be to the proxy, not the target.
                UseProxy = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = provider.GetRequiredService<SourceUrlGuard>().ConnectAsync,
            });
        services.AddSingleton<IScrapeTimeGauge, DataSetCacheGauge>();
        services.ConfigureMarten(opts => opts.Schema.For<DataSource>()
            // A replaced file and a scheduled fetch of the same source may race: the later commit is a conflict, not a lost version.
            .UseOptimisticConcurrency(true)
            .Index(x => x.UserId).Index(x => x.CreatedAt).Index(x => x.NextFetchAt));
        return services;
    }
}
