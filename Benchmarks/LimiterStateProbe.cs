using System.Diagnostics;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Security;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ChartCraft.Benchmarks;

/// <summary>
/// Whether the rate limiter's memory follows the active callers or every caller ever seen:
/// <c>dotnet run -c Release --project Benchmarks -- limiter-state [redis://host:port]</c>.
/// 100 000 distinct clients each make one request, in steps of 20 000, and the managed heap is measured after a full
/// collection at each step and again once the clients have gone quiet. Without a Redis URL the in-process fallback is
/// measured (the state that grew without bound before), with one the Redis-backed limiters.
/// </summary>
public static class LimiterStateProbe
{
    public static async Task RunAsync(string[] args)
    {
        var redisUrl = args.Length > 1 ? args[1] : null;
        // An unreachable Redis puts the limiter on its in-process fallback, as during an outage.
        var redis = await ConnectionMultiplexer.ConnectAsync(redisUrl is null
            ? "127.0.0.1:1,abortConnect=false,connectTimeout=100"
            : ChartCraftSettings.RedisUrlToConfiguration(redisUrl));
        var app = new AppSettings(false, [], 10, 100, "http://localhost", "http://localhost");
        var limiter = new RequestRateLimiter(redis, app, new RedisSettings("", $"bench:{Guid.NewGuid():N}:"), NullLogger<RequestRateLimiter>.Instance);
        Console.WriteLine($"limiter state, {(redisUrl is null ? "in-process fallback (Redis unreachable)" : "Redis-backed")}");
        Console.WriteLine("| clients so far | managed heap after full GC |");
        Console.WriteLine("|---|---|");
        var baseline = Heap();
        Console.WriteLine($"| 0 | {baseline / 1024.0 / 1024:F1} MiB |");
        for (var step = 1; step <= 5; step++)
        {
            for (var i = (step - 1) * 20_000; i < step * 20_000; i++)
            {
                using var lease = await limiter.AcquireAsync($"ip:10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", CancellationToken.None);
                if (!lease.IsAcquired) throw new InvalidOperationException("a first request was refused");
            }
            Console.WriteLine($"| {step * 20_000:N0} | {Heap() / 1024.0 / 1024:F1} MiB |");
        }
        // Fallback limiters are dropped once their window has refilled and they sat idle; Redis ones once idle.
        var quiet = redisUrl is null ? TimeSpan.FromSeconds(90) : TimeSpan.FromSeconds(15);
        var watch = Stopwatch.StartNew();
        await Task.Delay(quiet);
        Console.WriteLine($"| 100,000, then {watch.Elapsed.TotalSeconds:F0} s quiet | {Heap() / 1024.0 / 1024:F1} MiB |");
        limiter.Dispose();
    }

    static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(true);
    }
}
