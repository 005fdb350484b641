using System.Text.Json;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
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

public static class HealthEndpoints
{
    public static IServiceCollection AddChartCraftHealth(this IServiceCollection services, DatabaseSettings database)
    {
        services.AddHealthChecks()
            .AddNpgSql(database.ConnectionString, name: "postgres", tags: ["ready"], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<RedisHealthCheck>("redis", tags: ["ready"], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    /// <summary>/health: the process is alive. /health/ready: each dependency with its status, 503 if one is down.</summary>
    public static WebApplication MapChartCraftHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (http, _) => WriteJson(http, new { status = "ok" }),
        }).WithTags("Operations").WithSummary("Liveness");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (http, report) => WriteJson(http, new
            {
                status = report.Status == HealthStatus.Unhealthy ? "unavailable" : "ok",
                checks = report.Entries.ToDictionary(e => e.Key, e => new
                {
                    status = e.Value.Status == HealthStatus.Unhealthy ? "down" : "up",
                    description = e.Value.Description ?? (e.Value.Status == HealthStatus.Unhealthy ? "unreachable" : null),
                    duration_ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                }),
            }),
        }).WithTags("Operations").WithSummary("Readiness of postgres, redis and storage");
        return app;
    }

    static Task WriteJson(HttpContext http, object body)
    {
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
