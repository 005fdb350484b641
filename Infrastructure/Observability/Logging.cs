using System.Security.Claims;
using ChartCraft.Infrastructure.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>
/// Which requests get a log line. Every request that failed (status 5xx) or was slow (LOG_SLOW_REQUEST_MS, default 500)
/// does, as does every 4xx other than 404 and 429; of the rest (successes, and the 404s and 429s that scanners and
/// over-eager clients produce by the thousand) only a sample, LOG_REQUEST_SAMPLE_RATE (default 0.01; 1 logs all).
/// A line costs more than the request it describes on the hottest routes, so logging every one halves what an
/// instance can serve. Requests the client abandoned are at most a Debug line.
/// </summary>
public sealed record LoggingSettings(double RequestSampleRate, TimeSpan SlowRequest)
{
    public static LoggingSettings Load(IConfiguration config) => new(
        SettingValues.Fraction(config, "LOG_REQUEST_SAMPLE_RATE", 0.01),
        TimeSpan.FromMilliseconds(SettingValues.Int(config, "LOG_SLOW_REQUEST_MS", 500, 1, 600_000)));

    /// <summary>The level of a finished request's line; below Information means no line.</summary>
    public LogEventLevel LevelFor(HttpContext http, double elapsedMs, Exception? ex, Func<double> random)
    {
        var status = http.Response.StatusCode;
        if (http.RequestAborted.IsCancellationRequested || status == 499) return LogEventLevel.Debug; // the client left
        if (ex is not null || status >= 500) return LogEventLevel.Error;
        if (elapsedMs > SlowRequest.TotalMilliseconds) return LogEventLevel.Warning;
        if (status >= 400 && status is not (404 or 429)) return LogEventLevel.Information;
        return RequestSampleRate > 0 && random() < RequestSampleRate ? LogEventLevel.Information : LogEventLevel.Verbose;
    }
}

/// <summary>Structured JSON logs; request lines carry request id, user id, route, status and duration.</summary>
public static class Logging
{
    public static WebApplicationBuilder AddChartCraftLogging(this WebApplicationBuilder builder, LoggingSettings settings)
    {
        builder.Services.AddSingleton(settings);
        builder.Services.AddSerilog((services, log) => log
            .ReadFrom.Configuration(builder.Configuration)
            // Sinks registered as services (the tests' capture) receive the same events.
            .ReadFrom.Services(services)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .MinimumLevel.Override("Marten", LogEventLevel.Warning)
            .MinimumLevel.Override("Wolverine", LogEventLevel.Warning)
            .MinimumLevel.Override("JasperFx", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            // Marten logs a command cancelled by a client that went away as an error; it is not one.
            .Filter.ByExcluding(IsCancellation)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", "chartcraft")
            .WriteTo.Console(new RenderedCompactJsonFormatter()),
            // The host's own logger everywhere, the static Log.Logger left alone. Otherwise request lines are enriched
            // (route, user) through the static logger, and a host that stops resets it to a silent one: where several
            // hosts share a process (the tests), one host's shutdown dropped another's route and user from its lines.
            preserveStaticLogger: true);
        return builder;
    }

    /// <summary>
    /// Marten's error for a command cancelled because the request was aborted (or the app is stopping). Only Marten's:
    /// elsewhere an OperationCanceledException can be a real timeout (HttpClient's carries a TimeoutException).
    /// </summary>
    public static bool IsCancellation(LogEvent e) =>
        e.Level >= LogEventLevel.Warning && e.Exception is { } ex
        && e.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string context }
        && context.StartsWith("Marten", StringComparison.Ordinal)
        && (ex is OperationCanceledException || ex.InnerException is OperationCanceledException)
        && ex.GetBaseException() is not TimeoutException;

    /// <summary>
    /// Request log line (see <see cref="LoggingSettings"/> for which requests get one). Only the path is logged, never
    /// the query string (signed links carry signatures there) nor headers or bodies (tokens and passwords live there).
    /// </summary>
    public static IApplicationBuilder UseChartCraftRequestLogging(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<LoggingSettings>();
        return app.UseSerilogRequestLogging(o =>
        {
            // This host's logger, not the static one (the last host built in the process, in tests).
            o.Logger = app.ApplicationServices.GetService<Serilog.ILogger>();
            o.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0} ms";
            // Serilog skips the line, and the enrichment below, when the level is not enabled.
            o.GetLevel = (http, elapsed, ex) => settings.LevelFor(http, elapsed, ex, Random.Shared.NextDouble);
            o.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("RequestId", http.TraceIdentifier);
                diagnostics.Set("UserId", http.User.FindFirstValue("sub"));
                diagnostics.Set("Route", (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value);
                diagnostics.Set("RequestPath", http.Request.Path.Value);
            };
        });
    }
}
