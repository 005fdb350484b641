using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ChartCraft.Features.Upload.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChartCraft.Tests.Support.Fakes;

/// <summary>
/// Sentry's ingestion endpoint as the SDK speaks to it: envelopes POSTed to /api/{project}/envelope/, possibly
/// gzip-compressed, each a header line and then item header / payload line pairs (see develop.sentry.dev, envelopes).
/// </summary>
public sealed class FakeSentry : IAsyncDisposable
{
    const int ProjectId = 42;
    readonly WebApplication _app;
    readonly ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, string Body)> _envelopes = new();

    FakeSentry(WebApplication app) => _app = app;

    public static async Task<FakeSentry> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSentry(app);
        app.MapPost($"/api/{ProjectId}/envelope/", async (HttpContext http) =>
        {
            Stream body = http.Request.Body;
            if (http.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
                body = new GZipStream(body, CompressionMode.Decompress);
            var text = await new StreamReader(body).ReadToEndAsync();
            fake._envelopes.Enqueue((http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), text));
            return Results.Json(new { id = Guid.NewGuid().ToString("N") });
        });
        await app.StartAsync();
        return fake;
    }

    /// <summary>A DSN pointing here: public key "testkey", project 42.</summary>
    public string Dsn => $"{_app.Urls.First().Replace("http://", "http://testkey@")}/{ProjectId}";

    public IReadOnlyList<(IReadOnlyDictionary<string, string> Headers, string Body)> Envelopes => _envelopes.ToList();

    /// <summary>The event payloads (item type "event") received so far.</summary>
    public IReadOnlyList<JsonObject> Events()
    {
        var events = new List<JsonObject>();
        foreach (var (_, body) in _envelopes)
        {
            var lines = body.Split('\n');
            for (var i = 1; i + 1 < lines.Length; i += 2)
                if (JsonNode.Parse(lines[i])?["type"]?.GetValue<string>() == "event")
                    events.Add(JsonNode.Parse(lines[i + 1])!.AsObject());
        }
        return events;
    }

    public async Task<JsonObject> WaitForEventAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Events().FirstOrDefault(match) is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no matching Sentry event; received {_envelopes.Count} envelope(s)");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
