using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ChartCraft.Tests.Newsletter.Integrations;

/// <summary>
/// Provider limits counted in the shared Redis: two <see cref="ProviderRateLimits"/> stand for two app instances,
/// each with its own process-local limit, drawing from one budget per account.
/// </summary>
public sealed class SharedProviderLimitsTests : IAsyncLifetime
{
    static readonly TimeSpan StillWaiting = TimeSpan.FromMilliseconds(400);
    readonly string _prefix = $"test:{Guid.NewGuid():N}:";
    IConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        var url = new Uri(TestEnvironment.RedisUrl);
        _redis = await ConnectionMultiplexer.ConnectAsync($"{url.Host}:{url.Port}");
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    ProviderRateLimits Instance(int mailchimp = 3, int kit = 2) =>
        new(new ProviderLimitOptions(mailchimp, kit, TimeSpan.FromSeconds(2)), _redis, _prefix);

    static HttpRequestMessage For(string account)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://provider.test/");
        request.Options.Set(ProviderRateLimits.AccountKey, account);
        return request;
    }

    [Fact]
    public async Task mailchimp_connections_held_by_one_instance_count_against_the_other_until_released()
    {
        using var first = Instance();
        using var second = Instance();
        var held = new List<System.Threading.RateLimiting.RateLimitLease>();
        for (var i = 0; i < 3; i++) held.Add(await first.Mailchimp.AcquireAsync(For("account-a")));
        held.ShouldAllBe(l => l.IsAcquired);

        var waiting = second.Mailchimp.AcquireAsync(For("account-a")).AsTask();
        var otherAccount = await second.Mailchimp.AcquireAsync(For("account-b")).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        otherAccount.IsAcquired.ShouldBeTrue("another account has its own budget");
        await Task.Delay(StillWaiting);
        waiting.IsCompleted.ShouldBeFalse("the first instance holds all 3 connections of the account");

        held[0].Dispose();
        using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        lease.IsAcquired.ShouldBeTrue();
        foreach (var l in held.Skip(1)) l.Dispose();
        otherAccount.Dispose();
    }

    [Fact]
    public async Task kit_requests_made_by_one_instance_use_up_the_window_for_the_other()
    {
        using var first = Instance();
        using var second = Instance();
        (await first.Kit.AcquireAsync(For("key-a"))).IsAcquired.ShouldBeTrue();
        (await first.Kit.AcquireAsync(For("key-a"))).IsAcquired.ShouldBeTrue();

        var waiting = second.Kit.AcquireAsync(For("key-a")).AsTask();
        await Task.Delay(StillWaiting);
        waiting.IsCompleted.ShouldBeFalse("2 requests in the 2 s window are spent");

        // Granted once the window has moved past the first two (RedisRateLimiting counts in whole seconds).
        (await waiting.WaitAsync(TimeSpan.FromSeconds(6))).IsAcquired.ShouldBeTrue();
    }

    [Fact]
    public async Task with_redis_unreachable_the_limit_is_kept_per_instance()
    {
        // A port nobody listens on: the multiplexer stays disconnected.
        await using var down = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200");
        using var limits = new ProviderRateLimits(new ProviderLimitOptions(2, 2, TimeSpan.FromSeconds(30)), down, _prefix);

        using var one = await limits.Mailchimp.AcquireAsync(For("account")).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var two = await limits.Mailchimp.AcquireAsync(For("account")).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        one.IsAcquired.ShouldBeTrue();
        two.IsAcquired.ShouldBeTrue();
        var third = limits.Mailchimp.AcquireAsync(For("account")).AsTask();
        await Task.Delay(StillWaiting);
        third.IsCompleted.ShouldBeFalse("the in-process limit of 2 still holds");
        two.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired.ShouldBeTrue();
    }
}

/// <summary>The app's provider clients count their limits in the app's Redis, under its key prefix.</summary>
[Collection(ApiCollection.Name)]
public sealed class AppProviderLimitsTests(AppFixture app)
{
    [Fact]
    public async Task a_mailchimp_call_in_flight_is_counted_in_redis_under_the_apps_prefix()
    {
        var limits = app.Host.Services.GetRequiredService<ProviderRateLimits>();
        var redis = app.Host.Services.GetRequiredService<IConnectionMultiplexer>();
        var account = Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Get, "http://provider.test/");
        request.Options.Set(ProviderRateLimits.AccountKey, account);

        var lease = await limits.Mailchimp.AcquireAsync(request);

        lease.IsAcquired.ShouldBeTrue();
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var keys = server.Keys(pattern: $"*provider:mailchimp:{account}*").Select(k => k.ToString()).ToList();
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(k => k.Contains($"test:{app.Schema}:provider:mailchimp:"));
        (await redis.GetDatabase().SortedSetLengthAsync(keys.Single(k => !k.EndsWith(":stats") && !k.EndsWith(":q")))).ShouldBe(1);
        lease.Dispose();
    }
}
