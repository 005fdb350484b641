using System.Net;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Tests.Infrastructure;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;

namespace ChartCraft.Tests.Charts;

/// <summary>
/// The app behind a load balancer at 10.0.0.5 (TRUSTED_PROXIES): X-Test-Peer stands for the TCP peer, X-Forwarded-For
/// names the visitor, as in <see cref="BehindProxyFixture"/>.
/// </summary>
public sealed class BehindBalancerFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["TRUSTED_PROXIES"] = "10.0.0.5" };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new BehindProxyFixture.PeerAddressFilter());
}

/// <summary>
/// Views per chart per day from the public API and the embed page, with unique visitors recognised through a salted hash
/// of address and user agent; written to PostgreSQL by the view flush and merged with Redis' live counts.
/// </summary>
public sealed class ChartStatsTests(BehindBalancerFixture app) : IClassFixture<BehindBalancerFixture>
{
    const string VisitorA = "198.51.100.71";
    const string VisitorB = "198.51.100.72";

    static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd");

    async Task<Guid> PublicChartAsync(TestUser owner) => SalesCharts.IdOf(await app.CreateSalesChartAsync(owner, isPublic: true), "chart_id");

    async Task ViewAsync(string path, string visitor, string userAgent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
        HttpStatusCode expected = HttpStatusCode.OK, AppFixture? on = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Test-Peer", "10.0.0.5");
        request.Headers.Add("X-Forwarded-For", visitor);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        (await (on ?? app).Client().SendAsync(request)).StatusCode.ShouldBe(expected);
    }

    async Task<JsonNode> StatsAsync(TestUser owner, Guid chartId, string query = "")
    {
        var response = await app.Client(owner.AccessToken).GetAsync($"/api/charts/{chartId}/stats{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    static JsonNode Day(JsonNode stats, string date) =>
        stats["views_by_day"]!.AsArray().Single(d => d!["date"]!.GetValue<string>() == date)!;

    Task FlushAsync() => app.Host.Services.GetRequiredService<ChartViewFlush>().FlushAsync(CancellationToken.None);

    /// <summary>Flushes, then waits for the chart's stored views to reach <paramref name="expectedViews"/>: the background
    /// flush may have popped the counts a moment before and still be writing them.</summary>
    async Task FlushedAsync(Guid chartId, long expectedViews)
    {
        await FlushAsync();
        await ChartStatsWithoutRedisTests.StoredAsync(app, chartId, expectedViews);
    }

    static NpgsqlConnection Database() =>
        new(ChartCraft.Infrastructure.Configuration.ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl));

    IDatabase Redis => app.Host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    [Fact]
    public async Task views_on_the_public_api_and_the_embed_page_are_counted_today_with_each_visitor_once()
    {
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorA);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorA); // the same visitor again: a view, not a visitor
        await ViewAsync($"/embed/{chartId}", VisitorA);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorB);
        await ViewAsync($"/embed/{chartId}?theme=dark", VisitorA, userAgent: "Safari/605.1.15"); // same address, another browser

        var stats = await StatsAsync(owner, chartId, "?days=7");
        var days = stats["views_by_day"]!.AsArray();
        days.Count.ShouldBe(7);
        days.Select(d => d!["date"]!.GetValue<string>()).ShouldBe(days.Select(d => d!["date"]!.GetValue<string>()).Order(), "oldest first");
        days[6]!["date"]!.GetValue<string>().ShouldBe(Today);
        days[6]!["views"]!.GetValue<long>().ShouldBe(5);
        days[6]!["unique_visitors"]!.GetValue<long>().ShouldBe(3);
        days.Take(6).ShouldAllBe(d => d!["views"]!.GetValue<long>() == 0 && d["unique_visitors"]!.GetValue<long>() == 0);
        stats["exports"]!.GetValue<long>().ShouldBe(0);
        stats["publishes"]!.GetValue<long>().ShouldBe(0);

        // view_count counts the public API only, as before.
        var chart = await (await app.Client(owner.AccessToken).GetAsync($"/api/charts/{chartId}")).JsonAsync();
        chart["view_count"]!.GetValue<long>().ShouldBe(3);
        // The default window is 30 days.
        (await StatsAsync(owner, chartId))["views_by_day"]!.AsArray().Count.ShouldBe(30);
    }

    [Fact]
    public async Task a_visitor_seen_by_two_instances_is_one_visitor_because_the_days_salt_is_shared()
    {
        await using var second = new SecondInstance(app);
        await second.InitializeAsync();
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorA);
        await ViewAsync($"/embed/{chartId}", VisitorA, on: second);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorB, on: second);

        var today = Day(await StatsAsync(owner, chartId), Today);
        (today["views"]!.GetValue<long>(), today["unique_visitors"]!.GetValue<long>()).ShouldBe((3L, 2L));
    }

    [Fact]
    public async Task daily_counts_are_written_to_postgres_and_survive_redis_losing_its_data()
    {
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorA);
        await ViewAsync($"/embed/{chartId}", VisitorB);
        await ViewAsync($"/embed/{chartId}", VisitorB);
        await FlushedAsync(chartId, expectedViews: 3);

        await using (var session = app.Store.QuerySession())
        {
            var stored = (await session.Query<ChartDayViews>().Where(d => d.ChartId == chartId).ToListAsync()).Single();
            (stored.Day.ToString("yyyy-MM-dd"), stored.Views, stored.UniqueVisitors, stored.UserId).ShouldBe((Today, 3L, 2L, owner.Id));
        }

        // Redis restarted without its data.
        var daily = app.Host.Services.GetRequiredService<ChartDailyViews>();
        var today = daily.Today;
        await Redis.KeyDeleteAsync([daily.ViewsKey(chartId, today), daily.VisitorsKey(chartId, today)]);
        var afterLoss = Day(await StatsAsync(owner, chartId), Today);
        (afterLoss["views"]!.GetValue<long>(), afterLoss["unique_visitors"]!.GetValue<long>()).ShouldBe((3L, 2L));

        // Counting resumes from the stored day; a later flush never lowers what was stored.
        await ViewAsync($"/api/public/charts/{chartId}", VisitorA);
        var resumed = Day(await StatsAsync(owner, chartId), Today);
        (resumed["views"]!.GetValue<long>(), resumed["unique_visitors"]!.GetValue<long>()).ShouldBe((4L, 2L));
        await FlushedAsync(chartId, expectedViews: 4);
        await FlushAsync();
        await using (var session = app.Store.QuerySession())
        {
            var stored = await session.LoadAsync<ChartDayViews>(ChartDayViews.IdOf(chartId, today));
            (stored!.Views, stored.UniqueVisitors).ShouldBe((4L, 2L));
        }
    }

    [Fact]
    public async Task no_redis_key_and_no_database_row_holds_a_visitor_address_and_the_day_keys_expire()
    {
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        const string address = "203.0.113.199";
        await ViewAsync($"/api/public/charts/{chartId}", address);
        await ViewAsync($"/embed/{chartId}", address);
        await FlushAsync();

        var prefix = $"test:{app.Schema}:";
        var server = app.Host.Services.GetRequiredService<IConnectionMultiplexer>().GetServers().First();
        var keys = server.Keys(pattern: prefix + "*").ToList();
        keys.ShouldNotBeEmpty();
        foreach (var key in keys)
        {
            var dump = await Redis.KeyDumpAsync(key);
            System.Text.Encoding.Latin1.GetString(dump ?? []).ShouldNotContain(address, customMessage: key);
            key.ToString().ShouldNotContain(address);
        }

        var daily = app.Host.Services.GetRequiredService<ChartDailyViews>();
        var today = daily.Today;
        foreach (var key in new[] { daily.ViewsKey(chartId, today), daily.VisitorsKey(chartId, today) })
            (await Redis.KeyTimeToLiveAsync(key)).ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.FromDays(3));
        // The day's salt goes with the day (a minute's grace for views in flight at midnight).
        var saltTtl = (await Redis.KeyTimeToLiveAsync(daily.SaltKey(today))).ShouldNotBeNull();
        saltTtl.ShouldBeLessThanOrEqualTo(DateTime.UtcNow.Date.AddDays(1).AddMinutes(1) - DateTime.UtcNow + TimeSpan.FromSeconds(1));

        await using var connection = Database();
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = @schema and table_type = 'BASE TABLE'", connection);
        tables.Parameters.AddWithValue("schema", app.Schema);
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync())
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        names.ShouldContain("mt_doc_chartdayviews");
        foreach (var table in names)
        {
            await using var search = new NpgsqlCommand($"select count(*) from {app.Schema}.{table} t where t::text like @address", connection);
            search.Parameters.AddWithValue("address", $"%{address}%");
            ((long)(await search.ExecuteScalarAsync())!).ShouldBe(0, table);
        }
    }

    [Fact]
    public async Task exports_and_publishes_are_counted_within_the_window()
    {
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append(chartId, new ChartExported(Guid.NewGuid(), "png", DateTimeOffset.UtcNow),
                new ChartExported(Guid.NewGuid(), "svg", DateTimeOffset.UtcNow), new ChartExported(Guid.NewGuid(), "pdf", DateTimeOffset.UtcNow),
                new ChartPublished(Guid.NewGuid(), "mailchimp", "campaign-1", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }
        // One export happened 40 days ago.
        await using (var connection = Database())
        {
            await connection.OpenAsync();
            await using var age = new NpgsqlCommand($"""
                update {app.Schema}.mt_events set timestamp = now() - interval '40 days'
                 where seq_id = (select max(seq_id) from {app.Schema}.mt_events where stream_id = @id and type = 'chart_exported')
                """, connection);
            age.Parameters.AddWithValue("id", chartId);
            (await age.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var month = await StatsAsync(owner, chartId, "?days=30");
        (month["exports"]!.GetValue<long>(), month["publishes"]!.GetValue<long>()).ShouldBe((2L, 1L));
        var quarter = await StatsAsync(owner, chartId, "?days=90");
        (quarter["exports"]!.GetValue<long>(), quarter["publishes"]!.GetValue<long>()).ShouldBe((3L, 1L));
        quarter["views_by_day"]!.AsArray().Count.ShouldBe(90);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("366")]
    [InlineData("-5")]
    [InlineData("many")]
    public async Task a_window_outside_1_to_365_days_is_a_400_naming_days(string days)
    {
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        var response = await app.Client(owner.AccessToken).GetAsync($"/api/charts/{chartId}/stats?days={days}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = (await response.JsonAsync()).ShouldBeProblem(400);
        body["errors"]!["days"].ShouldNotBeNull();
    }

    [Fact]
    public async Task the_edges_of_the_window_are_one_day_and_a_year()
    {
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorA);
        var one = (await StatsAsync(owner, chartId, "?days=1"))["views_by_day"]!.AsArray();
        one.Count.ShouldBe(1);
        (one[0]!["date"]!.GetValue<string>(), one[0]!["views"]!.GetValue<long>()).ShouldBe((Today, 1L));
        var year = (await StatsAsync(owner, chartId, "?days=365"))["views_by_day"]!.AsArray();
        year.Count.ShouldBe(365);
        year[0]!["date"]!.GetValue<string>().ShouldBe(DateTime.UtcNow.Date.AddDays(-364).ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task another_users_chart_and_a_missing_one_are_404_and_private_charts_count_nothing()
    {
        var owner = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        var other404 = await app.Client(other.AccessToken).GetAsync($"/api/charts/{chartId}/stats");
        other404.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other404.Content.ReadAsStringAsync()).ShouldNotContain("views_by_day");
        (await app.Client(owner.AccessToken).GetAsync($"/api/charts/{Guid.NewGuid()}/stats")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Client().GetAsync($"/api/charts/{chartId}/stats")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var privateChart = SalesCharts.IdOf(await app.CreateSalesChartAsync(owner, isPublic: false), "chart_id");
        await ViewAsync($"/api/public/charts/{privateChart}", VisitorA, expected: HttpStatusCode.NotFound);
        await ViewAsync($"/embed/{privateChart}", VisitorA, expected: HttpStatusCode.NotFound);
        Day(await StatsAsync(owner, privateChart), Today)["views"]!.GetValue<long>().ShouldBe(0);
    }

    [Fact]
    public async Task a_deleted_chart_takes_its_daily_counts_with_it()
    {
        var owner = await app.RegisterAsync();
        var chartId = await PublicChartAsync(owner);
        await ViewAsync($"/api/public/charts/{chartId}", VisitorA);
        await FlushedAsync(chartId, expectedViews: 1);
        (await app.Client(owner.AccessToken).DeleteAsync($"/api/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        await using var session = app.Store.QuerySession();
        (await session.Query<ChartDayViews>().Where(d => d.ChartId == chartId).CountAsync()).ShouldBe(0);
        (await app.Client(owner.AccessToken).GetAsync($"/api/charts/{chartId}/stats")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // A count still pending in Redis for the deleted chart is dropped by the next flush, not written.
        await ViewCountPendingAsync(chartId);
        await FlushAsync();
        (await session.Query<ChartDayViews>().Where(d => d.ChartId == chartId).CountAsync()).ShouldBe(0);
    }

    async Task ViewCountPendingAsync(Guid chartId)
    {
        var daily = app.Host.Services.GetRequiredService<ChartDailyViews>();
        await Redis.StringSetAsync(daily.ViewsKey(chartId, daily.Today), 7, TimeSpan.FromMinutes(5));
        await Redis.SetAddAsync(daily.DirtyKey, $"{chartId:N}:{daily.Today:yyyyMMdd}");
    }

    /// <summary>Another instance behind the same balancer, on the same database and Redis keys as <paramref name="first"/>.</summary>
    sealed class SecondInstance(AppFixture first) : AppFixture, IAsyncDisposable
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["DATABASE_SCHEMA"] = first.Schema,
            ["REDIS_KEY_PREFIX"] = $"test:{first.Schema}:",
            ["TRUSTED_PROXIES"] = "10.0.0.5",
        };

        protected override void ConfigureServices(IServiceCollection services) =>
            services.AddSingleton<IStartupFilter>(new BehindProxyFixture.PeerAddressFilter());

        // The first instance owns the schema and drops it; this one only stops its host.
        public new async ValueTask DisposeAsync() => await Host.DisposeAsync();
    }
}

/// <summary>With Redis stopped, public pages still answer and the statistics show what PostgreSQL has.</summary>
public sealed class ChartStatsWithoutRedisTests
{
    sealed class OwnRedisFixture(string redisUrl) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["REDIS_URL"] = redisUrl };
    }

    internal static async Task StoredAsync(AppFixture app, Guid chartId, long expectedViews)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var session = app.Store.QuerySession();
            var views = (await session.Query<ChartDayViews>().Where(d => d.ChartId == chartId).ToListAsync()).Sum(d => d.Views);
            if (views == expectedViews || DateTime.UtcNow > deadline) return;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task with_redis_stopped_pages_are_served_and_stats_show_the_stored_days()
    {
        await using var redis = await RedisProcess.StartAsync();
        var app = new OwnRedisFixture(redis.Url);
        await app.InitializeAsync();
        try
        {
            var owner = await app.RegisterAsync();
            var chartId = SalesCharts.IdOf(await app.CreateSalesChartAsync(owner, isPublic: true), "chart_id");
            (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            await app.Host.Services.GetRequiredService<ChartViewFlush>().FlushAsync(CancellationToken.None);
            // The background flush may hold the counts it popped a moment ago: wait until they are written.
            await StoredAsync(app, chartId, expectedViews: 2);
            await redis.StopAsync();
            await Task.Delay(500);

            (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await app.Client().GetAsync($"/embed/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var response = await app.Client(owner.AccessToken).GetAsync($"/api/charts/{chartId}/stats?days=2");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var today = (await response.JsonAsync())["views_by_day"]!.AsArray()[1]!;
            (today["views"]!.GetValue<long>(), today["unique_visitors"]!.GetValue<long>()).ShouldBe((2L, 1L));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
