using System.Net;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Upload;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Plans;

/// <summary>
/// The free tier's size and count limits (sources 3, stored 1 MB, file 1 MB, charts 4): 403 with the limit's name and
/// value, nothing stored when refused, counters in GET /api/account/usage, and exactly the allowed number passing when
/// requests race at the edge.
/// </summary>
[Collection(PlansCollection.Name)]
public sealed class PlanLimitTests(PlansFixture app)
{
    static DateTimeOffset NextUtcMidnight => new(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero);

    static JsonNode ShouldBeLimit(JsonNode body, int status, string limit, int value)
    {
        body.ShouldBeProblem(status);
        body["limit"]!.GetValue<string>().ShouldBe(limit, body.ToJsonString());
        body["limit_value"]!.GetValue<int>().ShouldBe(value);
        return body;
    }

    /// <summary>A CSV of about <paramref name="kilobytes"/> KiB that parses (month, revenue).</summary>
    static string CsvOf(int kilobytes)
    {
        var lines = new System.Text.StringBuilder("month,revenue,note\n");
        var row = 0;
        while (lines.Length < kilobytes * 1024)
            lines.Append($"{new DateTime(2000, 1, 1).AddDays(row):yyyy-MM-dd},{row++ % 977},{new string('x', 60)}\n");
        return lines.ToString();
    }

    async Task<int> SourcesOf(TestUser user)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<DataSource>().CountAsync(s => s.UserId == user.Id);
    }

    async Task<int> ChartsOf(TestUser user)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<Chart>().CountAsync(c => c.UserId == user.Id);
    }

    int BlobsOf(TestUser user)
    {
        var folder = Path.Combine(app.StoragePath, "uploads", user.Id.ToString("N"));
        return Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;
    }

    [Fact]
    public async Task usage_lists_every_limit_of_the_tier_and_resets_at_only_for_daily_ones()
    {
        var user = await app.RegisterAsync();
        var usage = await app.UsageAsync(user);

        usage["tier"]!.GetValue<string>().ShouldBe("free");
        var limits = usage["limits"]!.AsObject();
        limits.Select(l => l.Key).ShouldBe(["file_size_mb", "sources", "stored_mb", "charts", "exports_per_day", "ai_insights_per_day", "publishes_per_day"]);
        limits.Select(l => l.Value!["limit"]!.GetValue<int>()).ShouldBe([1, 3, 1, 4, 3, 2, 1]);
        limits.Select(l => l.Value!["used"]!.GetValue<double>()).ShouldAllBe(u => u == 0);
        foreach (var name in new[] { "file_size_mb", "sources", "stored_mb", "charts" })
            limits[name]!.AsObject().ContainsKey("resets_at").ShouldBeFalse(name);
        foreach (var name in new[] { "exports_per_day", "ai_insights_per_day", "publishes_per_day" })
            limits[name]!["resets_at"]!.GetValue<string>().ShouldBe(NextUtcMidnight.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
    }

    [Fact]
    public async Task usage_needs_a_token()
    {
        var response = await app.Client().GetAsync("/api/account/usage");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task the_fifth_chart_is_403_naming_the_charts_limit_and_nothing_is_stored()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);
        for (var i = 0; i < 4; i++) (await app.CreateChartAsync(user, sourceId, $"Chart {i}")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.UsedAsync(user, "charts")).ShouldBe(4);

        var refused = await app.CreateChartAsync(user, sourceId, "One too many");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var body = ShouldBeLimit(await refused.JsonAsync(), 403, "charts", 4);
        body["detail"]!.GetValue<string>().ShouldContain("you have 4");
        body.AsObject().ContainsKey("resets_at").ShouldBeFalse();
        (await ChartsOf(user)).ShouldBe(4);

        // Deleting one frees its place.
        await using (var session = app.Store.QuerySession())
        {
            var oldest = await session.Query<Chart>().Where(c => c.UserId == user.Id).OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
            (await app.Client(user.AccessToken).DeleteAsync($"/api/charts/{oldest}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }
        (await app.CreateChartAsync(user, sourceId, "Room again")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task charts_created_at_once_at_the_edge_never_pass_the_limit()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);
        (await app.CreateChartAsync(user, sourceId, "First")).StatusCode.ShouldBe(HttpStatusCode.Created);

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => app.CreateChartAsync(user, sourceId, $"Racing {i}")));

        racing.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(3);
        racing.Count(r => r.StatusCode == HttpStatusCode.Forbidden).ShouldBe(5);
        (await ChartsOf(user)).ShouldBe(4);
    }

    [Fact]
    public async Task the_fourth_source_is_403_naming_the_sources_limit_and_leaves_no_document_or_blob()
    {
        var user = await app.RegisterAsync();
        for (var i = 0; i < 3; i++) await app.UploadOkAsync(user, "month,sales\nJan,1\nFeb,2\nMar,3\n", $"s{i}.csv");
        BlobsOf(user).ShouldBe(3);

        var refused = await app.UploadAsync(user, "month,sales\nApr,4\nMay,5\nJun,6\n", "fourth.csv");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ShouldBeLimit(await refused.JsonAsync(), 403, "sources", 3);
        (await SourcesOf(user)).ShouldBe(3);
        BlobsOf(user).ShouldBe(3);
        (await app.UsedAsync(user, "sources")).ShouldBe(3);
    }

    [Fact]
    public async Task uploads_at_once_at_the_edge_never_pass_the_sources_limit()
    {
        var user = await app.RegisterAsync();

        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            app.UploadAsync(user, $"month,sales\nJan,{i}\nFeb,2\nMar,3\n", $"race{i}.csv")));

        racing.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(3);
        racing.Count(r => r.StatusCode == HttpStatusCode.Forbidden).ShouldBe(3);
        (await SourcesOf(user)).ShouldBe(3);
        BlobsOf(user).ShouldBe(3);
    }

    [Fact]
    public async Task a_file_over_the_plans_size_but_under_the_servers_is_403_file_size_mb()
    {
        var user = await app.RegisterAsync();
        var csv = CsvOf(1100); // 1.07 MB: under MAX_FILE_SIZE_MB (10), over the free tier's 1 MB

        var refused = await app.UploadAsync(user, csv, "big.csv");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ShouldBeLimit(await refused.JsonAsync(), 403, "file_size_mb", 1)["detail"]!.GetValue<string>().ShouldContain("up to 1 MB");
        (await SourcesOf(user)).ShouldBe(0);
        BlobsOf(user).ShouldBe(0);
    }

    [Fact]
    public async Task files_that_together_pass_the_stored_megabytes_are_403_stored_mb()
    {
        var user = await app.RegisterAsync();
        await app.UploadOkAsync(user, CsvOf(600), "first.csv");
        var stored = await app.UsedAsync(user, "stored_mb");
        stored.ShouldBeInRange(0.58, 0.6);
        (await app.UsedAsync(user, "file_size_mb")).ShouldBe(stored); // the largest file kept

        var refused = await app.UploadAsync(user, CsvOf(600), "second.csv");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        ShouldBeLimit(await refused.JsonAsync(), 403, "stored_mb", 1);
        (await SourcesOf(user)).ShouldBe(1);
        BlobsOf(user).ShouldBe(1);
        (await app.UsedAsync(user, "stored_mb")).ShouldBe(stored);
    }
}
