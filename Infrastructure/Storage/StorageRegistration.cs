using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Infrastructure.Storage;

public static class StorageRegistration
{
    public static IServiceCollection AddChartCraftStorage(this IServiceCollection services, StorageSettings storage)
    {
        services.AddSingleton<DownloadLinkSigner>();
        if (storage.UsesS3) services.AddSingleton<IBlobStorage, S3BlobStorage>();
        else services.AddSingleton<IBlobStorage, LocalBlobStorage>();
        return services;
    }
}
