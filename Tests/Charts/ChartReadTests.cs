using System.Net;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Charts;

/// <summary>
/// Chart reads come from each instance's memory, checked against a version token in Redis: a change on one instance is
/// seen at once on another, owner scoping holds on cached copies, a cached read touches no database, and public views
/// are counted exactly (in Redis) and written durably to PostgreSQL.
/// </summary>
public sealed class ChartReadTests(AppFixture app) : IClassFixture<AppFixture>
{
    static async Task<Guid> CreateChartAsync(AppFixture on, TestUser user, bool isPublic = false) =>
        SalesCharts.IdOf(await on.CreateSalesChartAsync(user, isPublic: isPublic), "chart_id");

    static async Task<JsonNode> GetOkAsync(AppFixture on, TestUser user, Guid chartId)
    {
        var response = await on.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    [Fact]
    public async Task a_chart_changed_on_one_instance_is_seen_fresh_on_another_and_deleted_is_404_there()
    {
        await using var second = new SecondInstance(app);
        await second.InitializeAsync();
        var user = await app.RegisterAsync();
        var chartId = await CreateChartAsync(app, user);
        (await GetOkAsync(second, user, chartId))["title"]!.GetValue<string>().ShouldBe("Revenue by region"); // cached on B
        (await GetOkAsync(second, user, chartId))["revision"]!.GetValue<int>().ShouldBe(1);

        var updated = await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}",
            System.Net.Http.Json.JsonContent.Create(new { title = "Revenue, renamed", is_public = true }));
        updated.StatusCode.ShouldBe(HttpStatusCode.OK);

        var onB = await GetOkAsync(second, user, chartId);
        onB["title"]!.GetValue<string>().ShouldBe("Revenue, renamed");
        onB["is_public"]!.GetValue<bool>().ShouldBeTrue();
        onB["revision"]!.GetValue<int>().ShouldBe(2);
        // Made public on A: B serves it publicly at once (it had it cached as private).
        (await second.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await app.Client(user.AccessToken).DeleteAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await second.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await second.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await second.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task charts_removed_with_their_data_source_by_a_message_handler_are_404_at_once_not_served_from_memory()
    {
        var user = await app.RegisterAsync();
        var created = await app.CreateSalesChartAsync(user, "Goes with its source");
        var sourceId = created["data_source_id"]!.GetValue<string>();
        var chartId = SalesCharts.IdOf(created, "chart_id");
        await GetOkAsync(app, user, chartId);
        await GetOkAsync(app, user, chartId); // cached

        ((int)(await app.Client(user.AccessToken).DeleteAsync($"/api/data/sources/{sourceId}")).StatusCode).ShouldBeInRange(200, 204);
        // The charts go in a Wolverine handler's session; within the handler's run, not the cache's 5 minutes.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        while ((status = (await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}")).StatusCode) == HttpStatusCode.OK
               && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task a_chart_made_private_on_one_instance_is_404_publicly_on_another_at_once()
    {
        await using var second = new SecondInstance(app);
        await second.InitializeAsync();
        var user = await app.RegisterAsync();
        var chartId = await CreateChartAsync(app, user, isPublic: true);
        (await second.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await app.Client(user.AccessToken).PutAsync($"/api/charts/{chartId}",
            System.Net.Http.Json.JsonContent.Create(new { is_public = false }))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await second.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await second.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task another_user_gets_404_for_a_chart_the_owner_has_just_read_from_the_cache()
    {
        var owner = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var chartId = await CreateChartAsync(app, owner);
        await GetOkAsync(app, owner, chartId);
        await GetOkAsync(app, owner, chartId); // a hit

        var response = await app.Client(other.AccessToken).GetAsync($"/api/charts/{chartId}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldNotContain("Revenue by region");
        // Private: not public to anyone either, cached or not.
        (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task concurrent_public_views_on_two_instances_are_all_counted_and_written_to_postgres()
    {
        await using var second = new SecondInstance(app);
        await second.InitializeAsync();
        var user = await app.RegisterAsync();
        var chartId = await CreateChartAsync(app, user, isPublic: true);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? (AppFixture)app : second).Client().GetAsync($"/api/public/charts/{chartId}")));
        statuses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);

        (await GetOkAsync(app, user, chartId))["view_count"]!.GetValue<long>().ShouldBe(60);
        (await GetOkAsync(second, user, chartId))["view_count"]!.GetValue<long>().ShouldBe(60);
        // The owner's reads and the embed page count nothing.
        (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetOkAsync(app, user, chartId))["view_count"]!.GetValue<long>().ShouldBe(60);

        await app.Host.Services.GetRequiredService<ChartViewFlush>().FlushAsync(CancellationToken.None);
        (await DurableViewsAsync(chartId, expected: 60)).ShouldBe(60);

        // Flushing again (or from the other instance) changes nothing; the list shows the same count.
        await second.Host.Services.GetRequiredService<ChartViewFlush>().FlushAsync(CancellationToken.None);
        await using (var session = app.Store.QuerySession())
            (await session.LoadAsync<ChartViews>(chartId))!.ViewCount.ShouldBe(60);
        var list = await (await app.Client(user.AccessToken).GetAsync("/api/charts")).JsonAsync();
        list["items"]!.AsArray().Single(c => c!["chart_id"]!.GetValue<string>() == chartId.ToString())!["view_count"]!.GetValue<long>().ShouldBe(60);
    }

    [Fact]
    public async Task the_durable_count_is_where_counting_resumes_when_redis_has_lost_it()
    {
        var user = await app.RegisterAsync();
        var chartId = await CreateChartAsync(app, user, isPublic: true);
        for (var i = 0; i < 3; i++) (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await app.Host.Services.GetRequiredService<ChartViewFlush>().FlushAsync(CancellationToken.None);
        (await DurableViewsAsync(chartId, expected: 3)).ShouldBe(3);

        // Redis restarted without its data: the live count is gone.
        var reads = app.Host.Services.GetRequiredService<ChartReads>();
        await app.Host.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase().KeyDeleteAsync(reads.ViewsKey(chartId));

        (await GetOkAsync(app, user, chartId))["view_count"]!.GetValue<long>().ShouldBe(3);
        (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetOkAsync(app, user, chartId))["view_count"]!.GetValue<long>().ShouldBe(4);
    }

    /// <summary>The stored count, once it reaches <paramref name="expected"/> (the background flush may be writing it) or after 10 s.</summary>
    async Task<long> DurableViewsAsync(Guid chartId, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var session = app.Store.QuerySession();
            var count = (await session.LoadAsync<ChartViews>(chartId))!.ViewCount;
            if (count == expected || DateTime.UtcNow > deadline) return count;
            await Task.Delay(100);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    public void a_bad_flush_interval_names_its_variable(string value)
    {
        var config = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["VIEW_COUNT_FLUSH_SECONDS"] = value }).Build();
        Should.Throw<ChartCraft.Infrastructure.Configuration.InvalidConfigurationException>(() => ChartViewSettings.Load(config))
            .Variable.ShouldBe("VIEW_COUNT_FLUSH_SECONDS");
    }

    /// <summary>Another app instance on the same database and Redis keys as <paramref name="first"/>.</summary>
    sealed class SecondInstance(AppFixture first) : AppFixture, IAsyncDisposable
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["DATABASE_SCHEMA"] = first.Schema,
            ["REDIS_KEY_PREFIX"] = $"test:{first.Schema}:",
        };

        // The first instance owns the schema and drops it; this one only stops its host.
        public new async ValueTask DisposeAsync() => await Host.DisposeAsync();
    }
}

/// <summary>With the database unreachable, charts already read are served from memory: a cached read does no SQL.</summary>
public sealed class CachedChartReadTests
{
    [Fact]
    public async Task with_the_database_cut_a_cached_chart_is_still_served_to_its_owner_publicly_and_embedded()
    {
        await using var relay = RelayedDatabaseFixture.NewRelay();
        var app = new RelayedDatabaseFixture(relay);
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            var chartId = (await app.CreateSalesChartAsync(user, "Cached", isPublic: true))["chart_id"]!.GetValue<string>();
            var before = await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}")).Content.ReadAsStringAsync();
            (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

            relay.Cut();

            var owner = await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}");
            owner.StatusCode.ShouldBe(HttpStatusCode.OK);
            var cached = await owner.JsonAsync();
            cached["title"]!.GetValue<string>().ShouldBe("Cached");
            cached["view_count"]!.GetValue<long>().ShouldBe(1);
            (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await (await app.Client(user.AccessToken).GetAsync($"/api/charts/{chartId}")).JsonAsync())["view_count"]!.GetValue<long>().ShouldBe(2);
            // A chart not yet read needs the database: 503, as before.
            ((int)(await app.Client(user.AccessToken).GetAsync($"/api/charts/{Guid.NewGuid()}")).StatusCode).ShouldBe(503);
            before.ShouldContain("\"title\":\"Cached\"");
        }
        finally
        {
            relay.Start();
            await app.DisposeAsync();
        }
    }
}
