using ChartCraft.Features.Newsletter.Publishing;
using ChartCraft.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;
using Wolverine;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>Registers newsletter platform connections (Mailchimp, Kit), their health checks and publishing.</summary>
public static class NewsletterPlatformsFeature
{
    /// <summary>Reads and validates <see cref="NewsletterPlatformSettings"/> (a bad value stops start-up naming the variable).</summary>
    public static IServiceCollection AddNewsletterPlatforms(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = NewsletterPlatformSettings.Load(configuration);
        // The app shares the provider limits between instances through Redis (the bare clients keep them per process).
        services.AddSingleton(provider => new ProviderRateLimits(ProviderLimitOptions.Documented,
            provider.GetRequiredService<IConnectionMultiplexer>(), provider.GetRequiredService<RedisSettings>().KeyPrefix,
            provider.GetRequiredService<ILogger<ProviderRateLimits>>()));
        services.AddNewsletterProviderClients(settings);
        services.AddSingleton<CredentialProtector>();
        services.AddSingleton<OAuthStateCodec>();
        services.AddSingleton<OAuthStateStore>();
        services.AddSingleton<IntegrationConnector>();
        services.AddSingleton<IntegrationAccess>();
        services.AddSingleton<IntegrationHealthCheck>();
        services.AddSingleton<NewsletterPublisher>();
        services.AddSingleton<ChartCraft.Infrastructure.Observability.IScrapeTimeGauge, IntegrationsGauge>();
        services.ConfigureMarten(opts =>
        {
            // Versions make a health check or token refresh lose against a reconnect or delete that happened meanwhile.
            opts.Schema.For<Integration>().UseOptimisticConcurrency(true).Index(x => x.UserId);
            opts.Schema.For<PublishJob>().Index(x => x.UserId);
        });
        services.ConfigureWolverine(opts => opts.Policies.Add(new PublishRetryPolicy(settings.PublishRetryCooldowns)));
        var messaging = !SettingValues.Bool(configuration, "CHARTCRAFT_NO_MESSAGING", false);
        if (messaging && settings.HealthCheckInterval > TimeSpan.Zero)
            services.AddHostedService<IntegrationHealthSchedule>();
        return services;
    }

    /// <summary>The provider clients alone (used by tests that talk to fake providers without the app).</summary>
    public static IServiceCollection AddNewsletterProviderClients(this IServiceCollection services, NewsletterPlatformSettings settings)
    {
        services.TryAddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProviderRateLimits>();
        services.TryAddSingleton<MailchimpClient>();
        services.TryAddSingleton<KitClient>();
        // The resilience pipeline owns timeouts (per attempt and in total), so HttpClient's own is off.
        services.AddHttpClient(MailchimpClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("mailchimp", (pipeline, context) => ProviderHttp.Configure(pipeline,
                context.ServiceProvider.GetRequiredService<ProviderRateLimits>().Mailchimp, settings.RetryDelay));
        services.AddHttpClient(KitClient.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(_ => true)
            .AddResilienceHandler("kit", (pipeline, context) => ProviderHttp.Configure(pipeline,
                context.ServiceProvider.GetRequiredService<ProviderRateLimits>().Kit, settings.RetryDelay));
        return services;
    }
}
