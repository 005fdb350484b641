using ChartCraft.Features.Account;
using ChartCraft.Features.Auth;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Export;
using ChartCraft.Features.Templates;
using ChartCraft.Features.Plans;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Webhooks;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Health;
using ChartCraft.Infrastructure.Mail;
using ChartCraft.Infrastructure.Observability;
using ChartCraft.Infrastructure.Storage;
using Prometheus;

namespace ChartCraft.Infrastructure;

/// <summary>The service's wiring, so Program.cs reads as a table of contents.</summary>
public static class Pipeline
{
    /// <summary>
    /// Set CHARTCRAFT_NO_MESSAGING=true for tools that only need the endpoint model (the OpenAPI export):
    /// no Wolverine persistence, so no database is touched.
    /// </summary>
    public static void AddChartCraft(this WebApplicationBuilder builder, ChartCraftSettings settings)
    {
        var messaging = !SettingValues.Bool(builder.Configuration, "CHARTCRAFT_NO_MESSAGING", false);
        builder.WebHost.UseUrls(ListeningUrl(builder.Configuration));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Uploads are streamed and limited by the upload feature; this is the outer guard.
            k.Limits.MaxRequestBodySize = settings.App.MaxFileSizeBytes + 1024 * 1024;
        });
        builder.AddChartCraftLogging(LoggingSettings.Load(builder.Configuration));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddChartCraftSettings(settings);
        builder.Services.AddChartCraftErrors();
        builder.Services.AddChartCraftErrorTracking(builder.Configuration);
        builder.Services.AddChartCraftJobFailures();
        builder.Services.AddChartCraftAuthentication(settings.Jwt);
        builder.Services.AddChartCraftCors(settings.App);
        builder.Services.AddSingleton<RequestRateLimiter>();
        builder.Services.AddChartCraftForwardedHeaders(settings.App);
        builder.Services.AddChartCraftPersistence(settings, messaging);
        builder.Host.UseChartCraftMessaging(settings.Database, messaging);
        builder.Services.AddChartCraftStorage(settings.Storage);
        builder.Services.AddChartCraftMail(builder.Configuration);
        builder.Services.AddChartCraftHealth(settings.Database);
        builder.Services.AddChartCraftMetrics(builder.Configuration);
        builder.Services.AddChartCraftApi();
        builder.Services.AddAuthFeature(builder.Configuration);
        builder.Services.AddUploadFeature(builder.Configuration);
        builder.Services.AddChartsFeature(builder.Configuration);
        builder.Services.AddTemplatesFeature();
        builder.Services.AddExportFeature(builder.Configuration);
        builder.Services.AddWebhooksFeature(builder.Configuration);
        builder.Services.AddPlansFeature(builder.Configuration);
        builder.Services.AddAccountDataFeature();
        ChartCraft.Features.Newsletter.Integrations.NewsletterPlatformsFeature.AddNewsletterPlatforms(builder.Services, builder.Configuration);
    }

    /// <summary>
    /// PORT is the one setting for the listening port (8000 in the container image, 3001 by default and in run.sh).
    /// A "Urls" key in appsettings.json would silently win over the environment, so none is kept there.
    /// </summary>
    static string ListeningUrl(IConfiguration config)
    {
        var port = config["PORT"] is { Length: > 0 } raw ? raw.Trim() : "3001";
        if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
            throw new InvalidConfigurationException("PORT", $"'{port}' is not a port number (1-65535)");
        return $"http://0.0.0.0:{number}";
    }

    // The default buckets double from 1 ms (…128, 256 ms): the latency objective, p95 under 200 ms, needs a 0.2 bucket.
    static readonly Histogram RequestDuration = Metrics.CreateHistogram("http_request_duration_seconds",
        "The duration of HTTP requests processed by an ASP.NET Core application.", new HistogramConfiguration
        {
            LabelNames = Prometheus.HttpMetrics.HttpRequestLabelNames.All,
            Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 1, 2.5, 5, 10],
        });

    public static void UseChartCraft(this WebApplication app)
    {
        // First: everything after it (logs, rate limits, audit, scheme of generated links) sees the real client.
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseChartCraftRequestLogging();
        app.UseChartCraftStaticFiles();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.UseRouting();
        app.UseHttpMetrics(o => o.RequestDuration.Histogram = RequestDuration);
        app.UseAuthentication();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseMiddleware<EmptyBodyAsJsonMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<ControlCharacterGuardMiddleware>();
        app.UseChartCraftApi();
    }
}
