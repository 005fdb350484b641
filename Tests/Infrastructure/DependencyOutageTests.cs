using System.Net;
using ChartCraft.Infrastructure.Errors;
using ChartCraft.Infrastructure.Persistence;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using System.Net.Http.Json;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// Found by the fault drills (scripts/drills.sh): an upload while S3 was unreachable answered 500, a Redis still
/// loading its data set or timing out escaped the fallbacks as 500 or 503, and every request waited out the Redis
/// client's 2 s backlog while Redis was down.
/// </summary>
public sealed class DependencyOutageTests
{
    /// <summary>An app storing its files in the test s3rver through a relay the test can cut.</summary>
    sealed class RelayedStorageFixture(TcpForwarder relay) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["AWS_S3_BUCKET"] = TestEnvironment.S3Bucket,
            ["AWS_ACCESS_KEY_ID"] = "S3RVER",
            ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{relay.Port}",
        };
    }

    [Fact]
    public async Task an_upload_while_storage_is_unreachable_is_503_with_retry_after_and_stores_nothing()
    {
        var s3 = new Uri(TestEnvironment.S3EndpointUrl);
        await using var relay = new TcpForwarder(s3.Host, s3.Port);
        var app = new RelayedStorageFixture(relay);
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            (await app.UploadAsync(user, "month,sales\nJan,1\nFeb,2\nMar,3\n")).StatusCode.ShouldBe(HttpStatusCode.Created);

            relay.Cut();
            var refused = await app.UploadAsync(user, "month,sales\nApr,4\nMay,5\nJun,6\n", "later.csv");

            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
            (await refused.JsonAsync()).ShouldBeProblem(503)["detail"]!.GetValue<string>().ShouldContain("storage");
            await using var session = app.Store.QuerySession();
            var names = await session.Query<ChartCraft.Features.Upload.DataSource>().Where(s => s.UserId == user.Id).Select(s => s.FileName).ToListAsync();
            names.ShouldBe(["data.csv"]);

            relay.Start();
            (await app.UploadAsync(user, "month,sales\nApr,4\nMay,5\nJun,6\n", "later.csv")).StatusCode.ShouldBe(HttpStatusCode.Created);
        }
        finally
        {
            relay.Start(); // let the host stop cleanly even if an assertion failed mid-outage
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task with_redis_stopped_commands_fail_at_once_and_charts_are_still_created_and_read()
    {
        await using var redis = await RedisProcess.StartAsync();
        var app = new OwnRedisFixture(redis.Url);
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            var source = await app.UploadOkAsync(user, "month,sales\nJan,1\nFeb,2\nMar,3\n");
            await redis.StopAsync();
            await Task.Delay(500);

            // Fail fast: no connection is an immediate connection error, not a wait in the backlog for the timeout.
            var multiplexer = app.Host.Services.GetRequiredService<IConnectionMultiplexer>();
            var failure = await Should.ThrowAsync<RedisConnectionException>(() => multiplexer.GetDatabase().StringGetAsync("any"));
            failure.Message.ShouldStartWith("No connection is active/available"); // not "The message timed out in the backlog" after 2 s

            var created = await app.Client(user.AccessToken).PostAsJsonAsync("/api/charts", new
            {
                data_source_id = source["data_source_id"]!.GetValue<Guid>(), chart_type = "bar", title = "Sales", generate_insights = false,
                config = new { x_column = "month", y_column = "sales" },
            });
            created.StatusCode.ShouldBe(HttpStatusCode.Created);
            var id = (await created.JsonAsync())["chart_id"]!.GetValue<Guid>();
            var read = await app.Client(user.AccessToken).GetAsync($"/api/charts/{id}");
            read.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await read.JsonAsync())["title"]!.GetValue<string>().ShouldBe("Sales");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    sealed class OwnRedisFixture(string redisUrl) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["REDIS_URL"] = redisUrl };
    }

    [Fact]
    public void a_redis_that_is_loading_or_timing_out_is_an_outage_the_fallbacks_take_over_and_a_bad_command_is_not()
    {
        var loading = new RedisServerException("LOADING Redis is loading the dataset in memory");
        var timeout = new RedisTimeoutException("Timeout awaiting response (2008ms elapsed, timeout is 2000ms)", CommandStatus.Sent);
        var wrongType = new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value");

        RedisFailures.IsOutage(loading).ShouldBeTrue();
        RedisFailures.IsOutage(timeout).ShouldBeTrue();
        RedisFailures.IsOutage(wrongType).ShouldBeFalse();
        RedisFailures.CanDoWithout(timeout).ShouldBeTrue(); // not a RedisException: the rate limiter once let it escape
        RedisFailures.CanDoWithout(loading).ShouldBeTrue();
        ProblemExceptionHandler.UnavailableDependency(loading).ShouldBe("cache");
        ProblemExceptionHandler.UnavailableDependency(wrongType).ShouldBeNull();
        ProblemExceptionHandler.UnavailableDependency(new StorageUnavailableException(new HttpRequestException("Connection refused"))).ShouldBe("storage");
    }
}
