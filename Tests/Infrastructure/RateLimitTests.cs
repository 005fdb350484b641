using System.Net;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>A host with a limit of 5 requests a minute, so the limit is reached in a few calls.</summary>
public sealed class LowRateLimitFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["RATE_LIMIT_PER_MINUTE"] = "5" };
}

public sealed class RateLimitTests(LowRateLimitFixture app) : IClassFixture<LowRateLimitFixture>
{
    [Fact]
    public async Task the_sixth_request_in_a_minute_gets_429_with_retry_after_and_other_users_are_unaffected()
    {
        var alice = await app.RegisterAsync(); // anonymous call: counted for the client address, not alice
        var bob = await app.RegisterAsync();
        var client = app.Client(alice.AccessToken);
        var remaining = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var ok = await client.GetAsync("/api/auth/me");
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
            remaining.Add(ok.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
        remaining.ShouldBe(["4", "3", "2", "1", "0"]);

        var limited = await client.GetAsync("/api/auth/me");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single());
        retryAfter.ShouldBeInRange(1, 60);
        (await limited.JsonAsync()).ShouldBeProblem(429)["detail"]!.GetValue<string>().ShouldContain("5 requests per minute");

        (await app.Client(bob.AccessToken).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task one_user_spreading_requests_over_several_endpoints_shares_one_limit()
    {
        var user = await app.RegisterAsync();
        var client = app.Client(user.AccessToken);
        string[] routes = ["/api/auth/me", "/api/charts", "/api/data/sources", "/api/webhooks", "/api/export/" + Guid.NewGuid()];
        var remaining = new List<string>();
        foreach (var route in routes)
        {
            var response = await client.GetAsync(route);
            ((int)response.StatusCode).ShouldBeOneOf([200, 404], route);
            remaining.Add(response.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
        remaining.ShouldBe(["4", "3", "2", "1", "0"]);

        // A sixth route, never called before, is over the same per-user limit.
        var limited = await client.GetAsync("/api/integrations");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await limited.JsonAsync()).ShouldBeProblem(429);
    }

    [Fact]
    public async Task the_count_is_shared_through_redis_by_every_instance()
    {
        var user = await app.RegisterAsync();
        await using var second = new SecondInstance(app);
        await second.InitializeAsync();
        for (var i = 0; i < 5; i++)
            (await (i % 2 == 0 ? (AppFixture)app : second).Client(user.AccessToken).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Client(user.AccessToken).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await app.Client(user.AccessToken).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    /// <summary>Another app instance on the same database and Redis keys as <paramref name="first"/>.</summary>
    sealed class SecondInstance(AppFixture first) : AppFixture, IAsyncDisposable
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["RATE_LIMIT_PER_MINUTE"] = "5",
            ["DATABASE_SCHEMA"] = first.Schema,
            ["REDIS_KEY_PREFIX"] = $"test:{first.Schema}:",
        };

        // The first instance owns the schema and drops it; this one only stops its host.
        public new async ValueTask DisposeAsync() => await Host.DisposeAsync();
    }
}

/// <summary>Readiness and rate limiting while Redis is down, on a Redis of the test's own.</summary>
public sealed class RedisOutageTests
{
    sealed class OwnRedisFixture(string redisUrl) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["REDIS_URL"] = redisUrl,
            ["RATE_LIMIT_PER_MINUTE"] = "3",
        };
    }

    [Fact]
    public async Task with_redis_stopped_ready_is_503_naming_redis_while_the_api_keeps_serving_with_a_local_limit()
    {
        await using var redis = await RedisProcess.StartAsync();
        var app = new OwnRedisFixture(redis.Url);
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            (await app.Client().GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);

            await redis.StopAsync();
            await Task.Delay(500);

            var ready = await app.Client().GetAsync("/health/ready");
            ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            var checks = (await ready.JsonAsync())["checks"]!;
            checks["redis"]!["status"]!.GetValue<string>().ShouldBe("down");
            checks["postgres"]!["status"]!.GetValue<string>().ShouldBe("up");
            checks["storage"]!["status"]!.GetValue<string>().ShouldBe("up");
            (await app.Client().GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);

            // Still serving, still limited: the in-process window takes over.
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++) statuses.Add((await app.Client(user.AccessToken).GetAsync("/api/auth/me")).StatusCode);
            statuses.ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests]);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}

/// <summary>The public embed page is anonymous traffic from every newsletter reader: limited per client address.</summary>
public sealed class EmbedRateLimitTests(LowRateLimitFixture app) : IClassFixture<LowRateLimitFixture>
{
    [Fact]
    public async Task embed_pages_count_against_the_client_address_and_the_sixth_is_429()
    {
        var remaining = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var page = await app.Client().GetAsync($"/embed/{Guid.NewGuid()}");
            page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            remaining.Add(page.Headers.GetValues("X-RateLimit-Remaining").Single());
        }
        remaining.ShouldBe(["4", "3", "2", "1", "0"]);

        var limited = await app.Client().GetAsync($"/embed/{Guid.NewGuid()}");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.Contains("Retry-After").ShouldBeTrue();
        // Static files (Chart.js, the embed script) and probes are not counted.
        (await app.Client().GetAsync("/static/embed/embed.js")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Client().GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
