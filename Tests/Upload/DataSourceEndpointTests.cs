using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Upload;

[Collection(ApiCollection.Name)]
public sealed class DataSourceEndpointTests(AppFixture app)
{
    async Task<(TestUser User, Guid SourceId)> UploadSales()
    {
        var user = await app.RegisterAsync();
        return (user, await app.UploadSalesAsync(user));
    }

    /// <summary>POST /api/data/analyze, checking the status; returns the body.</summary>
    async Task<JsonNode> AnalyzeAsync(TestUser user, Guid sourceId, string analysisType, int status = 200)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.WithBearerToken(user.AccessToken);
            s.Post.Json(new { data_source_id = sourceId, analysis_type = analysisType }).ToUrl("/api/data/analyze");
            s.StatusCodeShouldBe(status);
        });
        return await result.JsonAsync();
    }

    [Fact]
    public async Task sources_are_listed_newest_first_with_pagination()
    {
        var user = await app.RegisterAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await app.UploadOkAsync(user, $"n\n{i}\n{i + 1}\n", $"f{i}.csv"))["data_source_id"]!.GetValue<string>());

        var page = await (await app.Client(user.AccessToken).GetAsync("/api/data/sources?page=1&page_size=2")).JsonAsync();
        page["total"]!.GetValue<int>().ShouldBe(3);
        page["page"]!.GetValue<int>().ShouldBe(1);
        page["page_size"]!.GetValue<int>().ShouldBe(2);
        page["items"]!.AsArray().Select(i => i!["data_source_id"]!.GetValue<string>()).ShouldBe([ids[2], ids[1]]);
        var second = await (await app.Client(user.AccessToken).GetAsync("/api/data/sources?page=2&page_size=2")).JsonAsync();
        second["items"]!.AsArray().Select(i => i!["data_source_id"]!.GetValue<string>()).ShouldBe([ids[0]]);

        // Past the last page: no items, and still the real total.
        var beyond = await (await app.Client(user.AccessToken).GetAsync("/api/data/sources?page=5&page_size=2")).JsonAsync();
        beyond["items"]!.AsArray().ShouldBeEmpty();
        beyond["total"]!.GetValue<int>().ShouldBe(3);

        var tooBig = await app.Client(user.AccessToken).GetAsync("/api/data/sources?page_size=101");
        tooBig.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooBig.JsonAsync()).ShouldBeProblem(400)["errors"]!["page_size"].ShouldNotBeNull();

        // A value that is not a number at all: 400 naming the parameter, in words, not a .NET type.
        var notANumber = await (await app.Client(user.AccessToken).GetAsync("/api/data/sources?page=abc")).JsonAsync();
        notANumber.ShouldBeProblem(400)["title"]!.GetValue<string>().ShouldBe("The query is invalid");
        notANumber["errors"]!["page"]![0]!.GetValue<string>().ShouldBe("'abc' is not a whole number");
    }

    [Fact]
    public async Task get_returns_the_source_with_its_column_info()
    {
        var (user, id) = await UploadSales();
        var body = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}")).JsonAsync();
        body["data_source_id"]!.GetValue<string>().ShouldBe(id.ToString());
        body["row_count"]!.GetValue<int>().ShouldBe(72);
        body["column_info"]!.AsArray().Count.ShouldBe(5);
    }

    [Fact]
    public async Task preview_returns_typed_values_and_respects_offset_and_limit()
    {
        var (user, id) = await UploadSales();
        var body = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}/preview?offset=3&limit=2")).JsonAsync();
        body["total_rows"]!.GetValue<int>().ShouldBe(72);
        body["offset"]!.GetValue<int>().ShouldBe(3);
        body["limit"]!.GetValue<int>().ShouldBe(2);
        var rows = body["data"]!.AsArray();
        rows.Count.ShouldBe(2);
        // Row 3 is February 2023, North: revenue 1100, margin 10.5 (%), units 2.
        rows[0]!["month"]!.GetValue<string>().ShouldBe("2023-02-01");
        rows[0]!["region"]!.GetValue<string>().ShouldBe("North");
        rows[0]!["revenue"]!.GetValue<double>().ShouldBe(1100);
        rows[0]!["margin"]!.GetValue<double>().ShouldBe(10.5);
        rows[0]!["units"]!.GetValue<double>().ShouldBe(2);

        var tooMany = await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}/preview?limit=1001");
        tooMany.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooMany.JsonAsync())["errors"]!["limit"].ShouldNotBeNull();
    }

    [Fact]
    public async Task missing_cells_preview_as_null()
    {
        var user = await app.RegisterAsync();
        var body = await app.UploadOkAsync(user, "name,score\nann,1\nbob,NA\ncid,\ndan,4\n");
        var id = body["data_source_id"]!.GetValue<string>();
        var rows = (await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}/preview")).JsonAsync())["data"]!.AsArray();
        rows.Select(r => r!["score"]?.GetValue<double>()).ShouldBe([1.0, null, null, 4.0]);
    }

    [Fact]
    public async Task a_data_set_evicted_from_memory_is_reloaded_from_storage()
    {
        var (user, id) = await UploadSales();
        app.Host.Services.GetRequiredService<DataSetCache>().Remove(id);
        var body = await (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}/preview?offset=71&limit=5")).JsonAsync();
        var last = body["data"]!.AsArray().Single()!;
        last["month"]!.GetValue<string>().ShouldBe("2024-12-01");
        last["region"]!.GetValue<string>().ShouldBe("West");
        last["revenue"]!.GetValue<double>().ShouldBe(1000 + 23 * 100 + 2 * 250);
    }

    [Fact]
    public async Task another_users_source_is_404_on_every_endpoint()
    {
        var (_, id) = await UploadSales();
        var intruder = await app.RegisterAsync();
        var client = app.Client(intruder.AccessToken);
        (await client.GetAsync($"/api/data/sources/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/api/data/sources/{id}/preview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.DeleteAsync($"/api/data/sources/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AnalyzeAsync(intruder, id, "basic", 404)).ShouldBeProblem(404);
        var list = await (await client.GetAsync("/api/data/sources")).JsonAsync();
        list["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task delete_removes_the_document_and_the_stored_file()
    {
        var (user, id) = await UploadSales();
        string key;
        await using (var session = app.Store.QuerySession()) key = (await session.LoadAsync<DataSource>(id))!.StorageKey;
        (await app.Client(user.AccessToken).DeleteAsync($"/api/data/sources/{id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await app.Client(user.AccessToken).GetAsync($"/api/data/sources/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Host.Services.GetRequiredService<IBlobStorage>().ExistsAsync(key)).ShouldBeFalse();
    }

    [Fact]
    public async Task basic_analysis_gives_statistics_equal_to_an_independent_computation()
    {
        var (user, id) = await UploadSales();
        var body = await AnalyzeAsync(user, id, "basic");
        body["data_source_id"]!.GetValue<string>().ShouldBe(id.ToString());
        body["row_count"]!.GetValue<int>().ShouldBe(72);
        body["patterns"]!.AsArray().ShouldBeEmpty();

        var revenues = Enumerable.Range(0, 24).SelectMany(m => Enumerable.Range(0, 3).Select(r => 1000.0 + m * 100 + r * 250)).ToList();
        var mean = revenues.Average();
        var std = Math.Sqrt(revenues.Sum(v => (v - mean) * (v - mean)) / (revenues.Count - 1));
        var revenue = body["statistics"]!["revenue"]!;
        revenue["count"]!.GetValue<int>().ShouldBe(72);
        revenue["mean"]!.GetValue<double>().ShouldBe(mean, 1e-9);
        revenue["std"]!.GetValue<double>().ShouldBe(std, 1e-9);
        revenue["min"]!.GetValue<double>().ShouldBe(1000);
        revenue["max"]!.GetValue<double>().ShouldBe(3800);
        body["statistics"]!["region"]!["top_values"]!.AsArray().Count.ShouldBe(3);
        body["statistics"]!["month"]!["frequency"]!.GetValue<string>().ShouldBe("monthly");
    }

    [Fact]
    public async Task full_analysis_adds_typed_patterns_and_recommendations()
    {
        var (user, id) = await UploadSales();
        var body = await AnalyzeAsync(user, id, "full");
        var patterns = body["patterns"]!.AsArray();
        patterns.ShouldNotBeEmpty();
        patterns.ShouldAllBe(p => p!["strength"]!.GetValue<double>() >= 0 && p["strength"]!.GetValue<double>() <= 1);
        patterns.Select(p => p!["type"]!.GetValue<string>()).ShouldContain("trend");
        body["recommendations"]!.AsArray().ShouldNotBeEmpty();
    }

    [Fact]
    public async Task an_unknown_analysis_type_is_422()
    {
        var (user, id) = await UploadSales();
        await AnalyzeAsync(user, id, "deep", 422);
    }
}
