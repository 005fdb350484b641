using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace ChartCraft.Infrastructure.Health;

/// <summary>Blob storage answers a write (local) or a list (S3).</summary>
public sealed class StorageHealthCheck(IBlobStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy(storage.Kind);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{storage.Kind} storage unreachable");
        }
    }
}

/// <summary>Redis answers PING; a down Redis is reported, not thrown.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected) return HealthCheckResult.Unhealthy("not connected");
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.0} ms");
        }
        catch (RedisException)
        {
            return HealthCheckResult.Unhealthy("ping failed");
        }
    }
}

/// <summary>
/// /health/ready as metrics, checked at scrape time: chartcraft_ready (1 ready, 0 not) and
/// chartcraft_dependency_up{dependency="postgres|redis|storage"}.
/// </summary>
public sealed class ReadinessGauge(HealthCheckService health) : Observability.IScrapeTimeGauge
{
    static readonly Prometheus.Gauge Ready = Prometheus.Metrics.CreateGauge("chartcraft_ready",
        "1 when every dependency of /health/ready answers, else 0 (checked at scrape time).");

    static readonly Prometheus.Gauge DependencyUp = Prometheus.Metrics.CreateGauge("chartcraft_dependency_up",
        "1 when the dependency answers its readiness check, else 0.", "dependency");

    public async Task RefreshAsync(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(r => r.Tags.Contains("ready"), ct);
        foreach (var (name, entry) in report.Entries) DependencyUp.WithLabels(name).Set(entry.Status == HealthStatus.Unhealthy ? 0 : 1);
        Ready.Set(report.Status == HealthStatus.Unhealthy ? 0 : 1);
    }
}

public static class HealthRegistration
{
    public static IServiceCollection AddChartCraftHealth(this IServiceCollection services, DatabaseSettings database)
    {
        services.AddHealthChecks()
            // A connection of its own each time: a pooled one killed by a database restart would fail the first probe
            // after PostgreSQL is back, and a balancer would take a healthy instance out for it.
            .AddNpgSql(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString,
                name: "postgres", tags: ["ready"], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        services.AddSingleton<Observability.IScrapeTimeGauge, ReadinessGauge>();
        return services;
    }
}

public sealed record LivenessResponse(string Status);

public sealed record DependencyStatus(string Status, string? Description, double DurationMs);

public sealed record ReadinessResponse(string Status, IReadOnlyDictionary<string, DependencyStatus> Checks);

/// <summary>/health: the process is alive; it checks nothing so a slow dependency never restarts the app.</summary>
public sealed class LivenessEndpoint : EndpointWithoutRequest<LivenessResponse>
{
    public override void Configure()
    {
        Get("/health");
        RoutePrefixOverride(string.Empty);
        AllowAnonymous();
        Description(d => d.WithTags("Operations").Produces<LivenessResponse>(200), clearDefaults: true);
        Summary(s => s.Summary = "Liveness");
    }

    public override Task HandleAsync(CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = "no-store";
        return Send.OkAsync(new LivenessResponse("ok"), ct);
    }
}

/// <summary>/health/ready: postgres, redis and storage each with up/down; 503 when any is down.</summary>
public sealed class ReadinessEndpoint(HealthCheckService health) : EndpointWithoutRequest<ReadinessResponse>
{
    public override void Configure()
    {
        Get("/health/ready");
        RoutePrefixOverride(string.Empty);
        AllowAnonymous();
        Description(d => d.WithTags("Operations").Produces<ReadinessResponse>(200).Produces<ReadinessResponse>(503), clearDefaults: true);
        Summary(s => s.Summary = "Readiness of postgres, redis and storage");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), ct);
        var down = report.Status == HealthStatus.Unhealthy;
        HttpContext.Response.Headers.CacheControl = "no-store";
        await Send.ResponseAsync(new ReadinessResponse(
            down ? "unavailable" : "ok",
            report.Entries.ToDictionary(e => e.Key, e => new DependencyStatus(
                e.Value.Status == HealthStatus.Unhealthy ? "down" : "up",
                // The exception is not shown: it may name hosts or credentials.
                e.Value.Description ?? (e.Value.Status == HealthStatus.Unhealthy ? "unreachable" : null),
                Math.Round(e.Value.Duration.TotalMilliseconds, 1)))),
            down ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, ct);
    }
}
