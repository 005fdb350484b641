using System.Security.Cryptography;
using System.Text;
using Prometheus;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>
/// How /metrics is served: METRICS_TOKEN (empty → open) is the bearer token a scraper must send, and
/// METRICS_CACHE_SECONDS (default 5) how long one collected snapshot answers every scrape.
/// </summary>
public sealed record MetricsOptions(string? Token, TimeSpan CacheFor)
{
    public static MetricsOptions From(IConfiguration config)
    {
        var token = config["METRICS_TOKEN"] is { Length: > 0 } t ? t.Trim() : null;
        if (token is { Length: < 16 })
            throw new Configuration.InvalidConfigurationException("METRICS_TOKEN", "is too short: use at least 16 random characters");
        return new MetricsOptions(token, TimeSpan.FromSeconds(Configuration.SettingValues.Int(config, "METRICS_CACHE_SECONDS", 5, 0, 300)));
    }
}

/// <summary>
/// A gauge of shared state (queues, connections) that is read from the database just before a scrape is collected,
/// so every instance reports the same numbers, whichever did the work. Features register theirs as singletons.
/// </summary>
public interface IScrapeTimeGauge
{
    Task RefreshAsync(CancellationToken ct);
}

/// <summary>
/// The last collected metrics text. Collection walks every series (hundreds of KB); caching it means a flood of
/// scrapes costs one collection per interval, however many requests arrive.
/// </summary>
public sealed class MetricsSnapshot(MetricsOptions options, TimeProvider clock, IEnumerable<IScrapeTimeGauge> gauges,
    ILogger<MetricsSnapshot> logger)
{
    // A scrape must answer quickly even when the database does not: a gauge that cannot be read keeps its last value.
    static readonly TimeSpan GaugeTimeout = TimeSpan.FromSeconds(6);

    readonly SemaphoreSlim _collecting = new(1, 1);
    byte[] _text = [];
    DateTimeOffset _collectedAt = DateTimeOffset.MinValue;

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        if (IsFresh()) return _text;
        await _collecting.WaitAsync(ct);
        try
        {
            if (IsFresh()) return _text; // another scrape collected while this one waited
            await RefreshGaugesAsync(ct);
            using var buffer = new MemoryStream();
            await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(buffer, ct);
            _text = buffer.ToArray();
            _collectedAt = clock.GetUtcNow();
            return _text;
        }
        finally
        {
            _collecting.Release();
        }
    }

    // In parallel: while the database is down each gauge waits out its timeout, and the scrape should wait once.
    Task RefreshGaugesAsync(CancellationToken ct) => Task.WhenAll(gauges.Select(gauge => RefreshAsync(gauge, ct)));

    async Task RefreshAsync(IScrapeTimeGauge gauge, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(GaugeTimeout);
        try
        {
            await gauge.RefreshAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException
                                   || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // Metrics must still scrape while the database is down (that is when they matter): the gauge keeps its last value.
            logger.LogWarning("{Gauge} not updated: database unavailable ({Error})", gauge.GetType().Name, ex.GetType().Name);
        }
    }

    bool IsFresh() => options.CacheFor > TimeSpan.Zero && clock.GetUtcNow() - _collectedAt < options.CacheFor;
}

public static class MetricsRegistration
{
    // .NET meters that describe the process and HTTP serving. Others are left out on purpose: Npgsql labels its
    // pool with the connection string (host, port, database, user), and library meters may tag by tenant or queue.
    static readonly HashSet<string> ExportedMeters =
        ["System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http"];

    public static IServiceCollection AddChartCraftMetrics(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(MetricsOptions.From(config));
        services.AddSingleton<MetricsSnapshot>();
        Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = instrument => ExportedMeters.Contains(instrument.Meter.Name));
        return services;
    }
}

/// <summary>/metrics in Prometheus text format: request counts and latency histograms per route, and the app's own metrics.</summary>
public sealed class MetricsEndpoint(MetricsOptions options, MetricsSnapshot snapshot) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/metrics");
        RoutePrefixOverride(string.Empty);
        // The scrape token is checked here, not by the JWT scheme: a scraper holds no user account.
        AllowAnonymous();
        Description(d => d.WithTags("Operations").Produces(200, contentType: "text/plain").ProducesProblems(401), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Prometheus metrics";
            s.Description = "When METRICS_TOKEN is set, send it as `Authorization: Bearer <token>`. Served from a snapshot at most METRICS_CACHE_SECONDS old.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        if (options.Token is { } token && !Presents(token))
        {
            HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            await Problems.WriteAsync(HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized",
                "The metrics token is missing or wrong (Authorization: Bearer <METRICS_TOKEN>).");
            return;
        }
        var text = await snapshot.GetAsync(ct);
        HttpContext.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        HttpContext.Response.Headers.CacheControl = "no-store";
        await HttpContext.Response.Body.WriteAsync(text, ct);
    }

    bool Presents(string token)
    {
        var header = HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        // Compared as hashes in constant time: neither the length nor a prefix of the token leaks through timing.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
