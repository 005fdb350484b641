using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// The app with loopback targets allowed for source URLs and webhooks (the test servers listen on 127.0.0.1), two previous
/// versions kept, and the refresh sweep off: tests run it when they want it (<see cref="DataRefresh.SweepAsync"/>).
/// </summary>
public sealed class DataRefreshFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["SOURCE_URL_ALLOW_LOOPBACK_TARGETS"] = "true",
        ["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true",
        ["SOURCE_VERSIONS_KEPT"] = "2",
        ["SOURCE_REFRESH_SWEEP_MINUTES"] = "0",
        ["SOURCE_FETCH_TIMEOUT_SECONDS"] = "3",
        ["MAX_FILE_SIZE_MB"] = "1",
    };

    protected override void ConfigureServices(IServiceCollection services) => LocalWebhooksFixture.FastScheduledRetries(services);
}

[CollectionDefinition(Name)]
public sealed class DataRefreshCollection : ICollectionFixture<DataRefreshFixture>
{
    public const string Name = "data-refresh";
}

/// <summary>
/// A real HTTP server on 127.0.0.1 serving one CSV a test can change, with an ETag: a request whose If-None-Match names the
/// current ETag gets 304. Records each request's headers.
/// </summary>
public sealed class CsvServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _requests = new();
    int _revision;

    CsvServer(WebApplication app) => _app = app;

    public string Csv { get; private set; } = "";
    public string ETag => $"\"rev-{_revision}\"";
    /// <summary>When set, every request gets this status and no body.</summary>
    public int? FailWith { get; set; }
    /// <summary>When set, the body is this many bytes of CSV, whatever <see cref="Csv"/> says, without a Content-Length.</summary>
    public long? StreamBytes { get; set; }
    public int Port { get; private set; }
    public string Url(string path = "/data.csv") => $"http://127.0.0.1:{Port}{path}";
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Requests => _requests.ToArray();

    public void Serve(string csv)
    {
        Csv = csv;
        Interlocked.Increment(ref _revision);
    }

    public static async Task<CsvServer> StartAsync(string csv)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new CsvServer(app);
        server.Serve(csv);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return server;
    }

    async Task HandleAsync(HttpContext http)
    {
        _requests.Enqueue(http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
        if (http.Request.Path == "/redirect")
        {
            http.Response.Redirect(http.Request.Query["to"].ToString());
            return;
        }
        if (http.Request.Path == "/slow")
        {
            await Task.Delay(TimeSpan.FromSeconds(10), http.RequestAborted);
            return;
        }
        if (FailWith is { } status || http.Request.Path != "/data.csv")
        {
            http.Response.StatusCode = FailWith ?? 404;
            return;
        }
        http.Response.Headers.ETag = ETag;
        http.Response.Headers.LastModified = "Tue, 01 Dec 2026 10:00:00 GMT";
        if (http.Request.Headers.IfNoneMatch.ToString() == ETag)
        {
            http.Response.StatusCode = 304;
            return;
        }
        http.Response.ContentType = "text/csv";
        if (StreamBytes is { } size)
        {
            var line = Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 16_000)));
            for (long sent = 0; sent < size; sent += line.Length) await http.Response.Body.WriteAsync(line);
            return;
        }
        await http.Response.WriteAsync(Csv);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The data refresh calls as a frontend makes them, and waits for what happens in the background.</summary>
public static class DataRefresh
{
    public static Task<HttpResponseMessage> ReplaceFileAsync(this AppFixture app, TestUser user, Guid sourceId, string csv,
        string fileName = "data.csv") =>
        app.Client(user.AccessToken).PutAsync($"/api/data/sources/{sourceId}/file", Uploads.Form(Encoding.UTF8.GetBytes(csv), fileName));

    public static async Task<JsonNode> ReplaceFileOkAsync(this AppFixture app, TestUser user, Guid sourceId, string csv)
    {
        var response = await app.ReplaceFileAsync(user, sourceId, csv);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(200, body);
        return JsonNode.Parse(body)!;
    }

    public static async Task<Guid> ChartAsync(this AppFixture app, TestUser user, Guid sourceId, string x, string y,
        string chartType = "bar", bool isPublic = false)
    {
        var response = await app.Client(user.AccessToken).PostAsync("/api/charts", JsonContent.Create(new
        {
            data_source_id = sourceId, chart_type = chartType, title = $"{y} by {x}", is_public = isPublic,
            config = new { x_column = x, y_column = y, aggregation = "sum" },
        }));
        var body = await response.JsonAsync();
        ((int)response.StatusCode).ShouldBe(201, body.ToJsonString());
        return SalesCharts.IdOf(body, "chart_id");
    }

    public static async Task<JsonNode> GetAsync(this AppFixture app, TestUser user, string path)
    {
        var response = await app.Client(user.AccessToken).GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(200, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Polls the chart until its revision reaches <paramref name="revision"/> (the redraw is a background message).</summary>
    public static async Task<JsonNode> WaitForRevisionAsync(this AppFixture app, TestUser user, Guid chartId, int revision)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var chart = await app.GetAsync(user, $"/api/charts/{chartId}");
            if (chart["revision"]!.GetValue<int>() >= revision) return chart;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"chart never reached revision {revision}: {chart.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls the source until <paramref name="done"/> holds.</summary>
    public static async Task<JsonNode> WaitForSourceAsync(this AppFixture app, TestUser user, Guid sourceId, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var source = await app.GetAsync(user, $"/api/data/sources/{sourceId}");
            if (done(source)) return source;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"source never reached the expected state: {source.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static IEnumerable<double> Values(JsonNode chart) =>
        chart["chart_config"]!["data"]!["datasets"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<double>());

    public static IEnumerable<string> Labels(JsonNode chart) =>
        chart["chart_config"]!["data"]!["labels"]!.AsArray().Select(v => v!.GetValue<string>());
}
