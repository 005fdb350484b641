using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>
/// Sends unexpected server errors (the 500s) to Sentry when SENTRY_DSN is set. A client of its own rather than the
/// static SentrySdk, so nothing global changes and a host without a DSN sends nothing. No request body, headers,
/// query string or user data leave the app: only the exception, the route and the request id (the 500's trace_id),
/// so a report can be matched with what the user saw.
/// </summary>
public sealed class ErrorTracker(SentryClient client) : IAsyncDisposable
{
    /// <summary>The tag that marks a background job's report (see <see cref="JobFailures"/>).</summary>
    public const string JobTag = "job";

    public void Capture(SentryEvent report) => client.CaptureEvent(report);

    public void Capture(Exception exception, HttpContext http)
    {
        var report = new SentryEvent(exception) { Level = SentryLevel.Error };
        report.SetTag("trace_id", http.TraceIdentifier);
        report.SetTag("route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "");
        report.SetTag("method", http.Request.Method);
        client.CaptureEvent(report);
    }

    public async ValueTask DisposeAsync()
    {
        // Reports still queued go out before the app stops.
        await client.FlushAsync(TimeSpan.FromSeconds(5));
        client.Dispose();
    }
}

public static class ErrorTracking
{
    /// <summary>SENTRY_DSN (optional; a malformed one stops start-up), SENTRY_ENVIRONMENT (default production).</summary>
    public static IServiceCollection AddChartCraftErrorTracking(this IServiceCollection services, IConfiguration configuration)
    {
        var dsn = configuration["SENTRY_DSN"]?.Trim();
        if (string.IsNullOrEmpty(dsn)) return services;
        if (!Uri.TryCreate(dsn, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.UserInfo)
            || uri.AbsolutePath.Trim('/').Length == 0)
            throw new InvalidConfigurationException("SENTRY_DSN", "must look like https://<key>@<host>/<project id>");
        var options = new SentryOptions
        {
            Dsn = dsn,
            Environment = configuration["SENTRY_ENVIRONMENT"] is { Length: > 0 } environment ? environment : "production",
            SendDefaultPii = false,
            AutoSessionTracking = false,
            IsGlobalModeEnabled = false,
            ServerName = "chartcraft",
        };
        options.SetBeforeSend(WithoutJobPayload);
        services.AddSingleton(_ => new ErrorTracker(new SentryClient(options)));
        return services;
    }

    /// <summary>
    /// A background job's exception keeps its type and stack trace but loses its message and data: those may quote the
    /// job's payload (a webhook URL, a chart title, a provider's answer).
    /// </summary>
    static SentryEvent? WithoutJobPayload(SentryEvent report)
    {
        if (!report.Tags.ContainsKey(ErrorTracker.JobTag)) return report;
        foreach (var exception in report.SentryExceptions ?? [])
        {
            exception.Value = null;
            exception.Mechanism?.Data.Clear();
        }
        return report;
    }

    /// <summary>Always registered: without a DSN, failures are only counted.</summary>
    public static IServiceCollection AddChartCraftJobFailures(this IServiceCollection services) => services
        .AddSingleton(sp => new JobFailures(sp.GetService<ErrorTracker>()))
        .AddSingleton<Wolverine.IWireTap, DeadLetterReports>();
}
