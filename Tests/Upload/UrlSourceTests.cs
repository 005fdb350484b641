using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Upload;
using ChartCraft.Tests.Support;
using Marten;
using Marten.Patching;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Upload;

[Collection(DataRefreshCollection.Name)]
public sealed class UrlSourceTests(DataRefreshFixture app)
{
    const string FirstCsv = "region,revenue\nNorth,10\nSouth,20\n";

    Task<HttpResponseMessage> CreateAsync(TestUser user, object request) =>
        app.Client(user.AccessToken).PostAsync("/api/data/sources", JsonContent.Create(request));

    async Task<JsonNode> CreateOkAsync(TestUser user, string url, int refreshMinutes = 5, string? name = null)
    {
        var response = await CreateAsync(user, new { source_url = url, refresh_minutes = refreshMinutes, name });
        var body = await response.JsonAsync();
        ((int)response.StatusCode).ShouldBe(201, body.ToJsonString());
        return body;
    }

    /// <summary>Makes the source due, runs one sweep, and waits until the refresh has recorded its fetch.</summary>
    async Task<JsonNode> RefreshNowAsync(TestUser user, Guid sourceId)
    {
        var before = (await LoadAsync(sourceId)).LastFetchedAt;
        await using (var session = app.Store.LightweightSession())
        {
            session.Patch<DataSource>(sourceId).Set(s => s.NextFetchAt, DateTimeOffset.UtcNow.AddMinutes(-1));
            await session.SaveChangesAsync();
        }
        (await app.Host.Services.GetRequiredService<SourceRefreshSchedule>().SendDueAsync(default)).ShouldBeGreaterThanOrEqualTo(1);
        // The API shows whole seconds; the document has the full time of the fetch.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await LoadAsync(sourceId)).LastFetchedAt == before)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the refresh never recorded a fetch");
            await Task.Delay(100);
        }
        return await app.GetAsync(user, $"/api/data/sources/{sourceId}");
    }

    async Task<DataSource> LoadAsync(Guid sourceId)
    {
        await using var session = app.Store.QuerySession();
        return (await session.LoadAsync<DataSource>(sourceId))!;
    }

    [Fact]
    public async Task a_url_source_is_fetched_at_once_and_on_schedule_an_unchanged_file_makes_no_version_and_a_changed_one_redraws_charts()
    {
        await using var server = await CsvServer.StartAsync(FirstCsv);
        var user = await app.RegisterAsync();
        var created = await CreateOkAsync(user, server.Url(), name: "Regional revenue");
        created["version"]!.GetValue<int>().ShouldBe(1);
        created["source_url"]!.GetValue<string>().ShouldBe(server.Url());
        created["refresh_minutes"]!.GetValue<int>().ShouldBe(5);
        created["last_fetch_error"].ShouldBeNull();
        created["file_name"]!.GetValue<string>().ShouldBe("Regional revenue.csv");
        created["row_count"]!.GetValue<int>().ShouldBe(2);
        created["column_info"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()).ShouldBe(["categorical", "numeric"]);
        var next = created["next_fetch_at"]!.GetValue<DateTimeOffset>() - created["last_fetched_at"]!.GetValue<DateTimeOffset>();
        next.ShouldBe(TimeSpan.FromMinutes(5));
        var sourceId = SalesCharts.IdOf(created, "data_source_id");
        var chartId = await app.ChartAsync(user, sourceId, "region", "revenue");

        // Same ETag: the server answers 304 and nothing changes but the time of the fetch.
        var unchanged = await RefreshNowAsync(user, sourceId);
        server.Requests[^1]["if-none-match"].ShouldBe(server.ETag);
        server.Requests[^1]["if-modified-since"].ShouldBe("Tue, 01 Dec 2026 10:00:00 GMT");
        unchanged["version"]!.GetValue<int>().ShouldBe(1);
        unchanged["last_fetch_error"].ShouldBeNull();

        // A new ETag with the same bytes: the content hash says unchanged.
        server.Serve(FirstCsv);
        (await RefreshNowAsync(user, sourceId))["version"]!.GetValue<int>().ShouldBe(1);

        server.Serve("region,revenue\nNorth,1\nSouth,2\nEast,3\n");
        var changed = await RefreshNowAsync(user, sourceId);
        changed["version"]!.GetValue<int>().ShouldBe(2);
        changed["row_count"]!.GetValue<int>().ShouldBe(3);
        changed["file_name"]!.GetValue<string>().ShouldBe("Regional revenue.csv");
        var chart = await app.WaitForRevisionAsync(user, chartId, 2);
        DataRefresh.Labels(chart).ShouldContain("East");
        (await app.GetAsync(user, $"/api/data/sources/{sourceId}/versions")).AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task a_failing_scheduled_fetch_records_the_error_and_keeps_the_data_and_the_next_success_clears_it()
    {
        await using var server = await CsvServer.StartAsync(FirstCsv);
        var user = await app.RegisterAsync();
        var sourceId = SalesCharts.IdOf(await CreateOkAsync(user, server.Url()), "data_source_id");

        server.FailWith = 500;
        var failed = await RefreshNowAsync(user, sourceId);
        failed["last_fetch_error"]!.GetValue<string>().ShouldBe("the server answered 500 Internal Server Error");
        failed["version"]!.GetValue<int>().ShouldBe(1);
        (await app.GetAsync(user, $"/api/data/sources/{sourceId}/preview"))["data"]![1]!["revenue"]!.GetValue<double>().ShouldBe(20);

        server.FailWith = null;
        server.Serve("region,revenue\nheader only is fine,1\n");
        server.Serve(""); // an empty file cannot be used: recorded, data kept
        (await RefreshNowAsync(user, sourceId))["last_fetch_error"]!.GetValue<string>().ShouldStartWith("the file cannot be used:");

        server.Serve("region,revenue\nNorth,11\n");
        var recovered = await RefreshNowAsync(user, sourceId);
        recovered["last_fetch_error"].ShouldBeNull();
        recovered["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task bad_urls_intervals_and_failed_first_fetches_are_422_naming_the_reason_and_nothing_is_stored()
    {
        await using var server = await CsvServer.StartAsync(FirstCsv);
        var user = await app.RegisterAsync();

        async Task<JsonNode> Refused(object request, string field)
        {
            var response = await CreateAsync(user, request);
            var problem = (await response.JsonAsync()).ShouldBeProblem(422);
            problem["errors"]![field].ShouldNotBeNull(problem.ToJsonString());
            return problem;
        }

        await Refused(new { source_url = server.Url(), refresh_minutes = 1 }, "refresh_minutes");
        await Refused(new { source_url = server.Url(), refresh_minutes = 20_000 }, "refresh_minutes");
        await Refused(new { source_url = server.Url() }, "refresh_minutes");
        await Refused(new { source_url = "ftp://example.com/data.csv", refresh_minutes = 60 }, "source_url");
        await Refused(new { source_url = "data.csv", refresh_minutes = 60 }, "source_url");
        (await Refused(new { source_url = "http://169.254.169.254/latest/meta-data", refresh_minutes = 60 }, "source_url"))
            ["detail"]!.GetValue<string>().ShouldContain("link-local");
        (await Refused(new { source_url = "http://10.1.2.3/data.csv", refresh_minutes = 60 }, "source_url"))
            ["detail"]!.GetValue<string>().ShouldContain("private");
        (await Refused(new { source_url = server.Url("/missing.csv"), refresh_minutes = 60 }, "source_url"))["detail"]!.GetValue<string>()
            .ShouldContain("the server answered 404");
        (await Refused(new { source_url = $"http://127.0.0.1:{TestEnvironment.FreePort()}/data.csv", refresh_minutes = 60 }, "source_url"))
            ["detail"]!.GetValue<string>().ShouldContain("could not fetch from 127.0.0.1");

        // A redirect is followed only through the guard: one to the metadata address is refused at the connection.
        (await Refused(new { source_url = server.Url("/redirect?to=http://169.254.169.254/latest/meta-data"), refresh_minutes = 60 }, "source_url"))
            ["detail"]!.GetValue<string>().ShouldContain("refused: 169.254.169.254 is a link-local address");
        (await Refused(new { source_url = server.Url("/slow"), refresh_minutes = 60 }, "source_url"))["detail"]!.GetValue<string>()
            .ShouldContain("no complete answer within 3 seconds");

        server.StreamBytes = 3 * 1024 * 1024;
        (await Refused(new { source_url = server.Url(), refresh_minutes = 60 }, "source_url"))["detail"]!.GetValue<string>()
            .ShouldContain("larger than the limit of 1 MB");
        server.StreamBytes = null;
        server.Serve("region,revenue\n");
        ((int)(await CreateAsync(user, new { source_url = server.Url(), refresh_minutes = 60 })).StatusCode).ShouldBe(422);

        var malformed = await app.Client(user.AccessToken).PostAsync("/api/data/sources",
            new StringContent("{\"source_url\": ", System.Text.Encoding.UTF8, "application/json"));
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        (await app.GetAsync(user, "/api/data/sources"))["total"]!.GetValue<int>().ShouldBe(0);
        var storage = app.Host.Services.GetRequiredService<ChartCraft.Infrastructure.Storage.IBlobStorage>();
        (await storage.ListAsync($"uploads/{user.Id:N}/")).ShouldBeEmpty();
    }

    [Fact]
    public void a_fetched_file_is_named_after_the_server_or_the_url_with_the_extension_of_its_kind()
    {
        static HttpResponseMessage Response(string? mediaType, string? disposition = null)
        {
            var response = new HttpResponseMessage { Content = new ByteArrayContent([]) };
            if (mediaType is not null) response.Content.Headers.ContentType = new(mediaType);
            if (disposition is not null) response.Content.Headers.ContentDisposition = new("attachment") { FileName = disposition };
            return response;
        }

        SourceFetcher.FileNameOf(Response("text/csv", "report.xlsx"), "https://x.example/export").ShouldBe("report.xlsx");
        SourceFetcher.FileNameOf(Response("text/plain"), "https://x.example/files/sales%20q1.tsv?x=1").ShouldBe("sales q1.tsv");
        SourceFetcher.FileNameOf(Response("text/tab-separated-values"), "https://x.example/export").ShouldBe("export.tsv");
        SourceFetcher.FileNameOf(Response("text/plain"), "https://x.example/").ShouldBe("data.txt");
        SourceFetcher.FileNameOf(Response(null), "https://x.example/feed").ShouldBe("feed.csv");
        SourceRefresh.NamedLike("Quarterly", "xlsx").ShouldBe("Quarterly.xlsx");
        SourceRefresh.NamedLike("sales.csv", "csv").ShouldBe("sales.csv");
        SourceRefresh.NamedLike("sales.csv", "tsv").ShouldBe("sales.tsv");
    }
}
