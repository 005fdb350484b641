using Wolverine;

namespace ChartCraft.Features.Webhooks;

/// <summary>Registers webhook subscriptions, their delivery pipeline and the WEBHOOK_* options.</summary>
public static class WebhooksFeature
{
    /// <summary>Deliveries in flight at once per instance; a slow receiver holds one slot for at most the timeout.</summary>
    const int ParallelDeliveries = 8;

    public static IServiceCollection AddWebhooksFeature(this IServiceCollection services, IConfiguration configuration)
    {
        var options = WebhookOptions.Load(configuration);
        services.AddSingleton(options);
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookTargetGuard>();
        services.AddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton<WebhookDeliveryRetention>();
        services.AddHostedService<WebhookDeliveryRetentionSchedule>();
        services.AddHttpClient(WebhookSender.HttpClientName, client => client.Timeout = options.Timeout)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                // A redirect could point anywhere, including inside; receivers give their final URL.
                AllowAutoRedirect = false,
                // Through a proxy the checked connection would be to the proxy, not the target.
                UseProxy = false,
                UseCookies = false,
                ConnectTimeout = options.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = provider.GetRequiredService<WebhookTargetGuard>().ConnectAsync,
            });
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<WebhookSubscription>().Index(x => x.UserId);
            opts.Schema.For<WebhookDelivery>().Index(x => x.SubscriptionId).Index(x => x.CreatedAt);
        });
        services.ConfigureWolverine(opts => opts.LocalQueueFor<DeliverWebhook>().MaximumParallelMessages(ParallelDeliveries));
        return services;
    }
}
