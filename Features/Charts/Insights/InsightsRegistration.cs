using System.Globalization;
using ChartCraft.Infrastructure.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// How OpenAI calls behave beyond OpenAiSettings: the time budget of one call, retries, caching and
/// how much chart data goes into a prompt. OPENAI_TIMEOUT_SECONDS and OPENAI_MAX_RETRIES override the defaults.
/// </summary>
public sealed class OpenAiInsightOptions
{
    /// <summary>Budget for one call including retries and Retry-After waits; past it the statistical answer is used.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after a 429, a 5xx, a 408 or a network error.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff delay when the server sends no Retry-After; doubles per retry, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an accepted answer is reused for the same chart, facts and model.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Most labels (or scatter points) of the chart put into a prompt; more are sampled evenly.</summary>
    public int MaxDataPoints { get; set; } = 60;

    /// <summary>Cap on the answer's length, which bounds cost and latency.</summary>
    public int MaxOutputTokens { get; set; } = 800;
}

/// <summary>Registers the insight engines and the resilient OpenAI HttpClient.</summary>
public static class InsightsRegistration
{
    /// <summary>
    /// Adds <see cref="IInsightGenerator"/>: OpenAI when <see cref="OpenAiSettings.Enabled"/> (OPENAI_API_KEY
    /// set), else the statistical engine. Needs <see cref="OpenAiSettings"/> registered; uses the
    /// HybridCache registered by the app (a memory-only one is added if there is none).
    /// </summary>
    public static IServiceCollection AddChartInsights(this IServiceCollection services, Action<OpenAiInsightOptions>? configure = null)
    {
        var options = services.AddOptions<OpenAiInsightOptions>()
            .Configure<IServiceProvider>((o, provider) => FromEnvironment(o, provider.GetService<IConfiguration>()));
        if (configure is not null) options.Configure(configure);
        options.Validate(o => o.Timeout > TimeSpan.Zero, "OPENAI_TIMEOUT_SECONDS must be positive")
            .Validate(o => o.MaxRetries is >= 0 and <= 10, "OPENAI_MAX_RETRIES must be between 0 and 10")
            .Validate(o => o.MaxDataPoints >= 2 && o.MaxOutputTokens > 0 && o.CacheDuration > TimeSpan.Zero && o.RetryDelay >= TimeSpan.Zero,
                "invalid OpenAI insight options")
            .ValidateOnStart();

        services.AddHybridCache();
        services.TryAddSingleton<StatisticalInsightGenerator>();
        services.TryAddSingleton<OpenAiInsightService>();
        services.TryAddSingleton<IInsightGenerator>(provider => provider.GetRequiredService<OpenAiSettings>().Enabled
            ? provider.GetRequiredService<OpenAiInsightService>()
            : provider.GetRequiredService<StatisticalInsightGenerator>());

        services.AddHttpClient(OpenAiInsightService.HttpClientName, client => client.Timeout = System.Threading.Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("openai", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<OpenAiInsightOptions>>().Value;
                // Outermost: the whole call, retries and Retry-After waits included, fits in the budget.
                pipeline.AddTimeout(o.Timeout);
                if (o.MaxRetries > 0)
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = o.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = o.RetryDelay,
                        ShouldRetryAfterHeader = true, // 429 and 503 say when to come back
                    });
                // While OpenAI keeps failing, answer statistically at once instead of waiting out the budget per chart.
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = 5,
                    SamplingDuration = TimeSpan.FromSeconds(60),
                    BreakDuration = TimeSpan.FromSeconds(30),
                });
            });
        return services;
    }

    static void FromEnvironment(OpenAiInsightOptions o, IConfiguration? config)
    {
        if (config is null) return;
        if (config["OPENAI_TIMEOUT_SECONDS"] is { Length: > 0 } seconds)
            o.Timeout = double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 300
                ? TimeSpan.FromSeconds(s)
                : throw new InvalidConfigurationException("OPENAI_TIMEOUT_SECONDS", $"'{seconds}' must be a number of seconds between 0 and 300");
        if (config["OPENAI_MAX_RETRIES"] is { Length: > 0 } retries)
            o.MaxRetries = int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 10
                ? r
                : throw new InvalidConfigurationException("OPENAI_MAX_RETRIES", $"'{retries}' must be a whole number between 0 and 10");
    }
}
