using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ChartCraft.Features.Upload.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChartCraft.Tests.Webhooks;

/// <summary>A request as the receiver saw it: the raw body bytes and the headers (names lower-cased).</summary>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
    public string Header(string name) => Headers[name];
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) that records every request and answers with a scripted
/// status, so deliveries cross a real socket exactly as they would to a customer's endpoint.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<ReceivedWebhook> _received = new();

    WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status for the n-th request (counting from 1); 200 unless a test says otherwise.</summary>
    public Func<int, int> Respond { get; set; } = _ => 200;

    public int Port { get; private set; }
    public string Url(string path = "/hook") => $"http://127.0.0.1:{Port}{path}";
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    /// <summary>Starts on <paramref name="port"/>, or on a free port when 0.</summary>
    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(async http =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            receiver._received.Enqueue(new ReceivedWebhook(http.Request.Path, headers, body.ToArray(), DateTimeOffset.UtcNow));
            http.Response.StatusCode = receiver.Respond(receiver._received.Count);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived, failing after the deadline.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_received.Count < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"expected {count} webhook request(s), received {_received.Count}");
            await Task.Delay(50);
        }
        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A loopback port nothing listens on right now (for a receiver that is "down" at first).</summary>
    public static int FreePort() => ChartCraft.Tests.Support.TestEnvironment.FreePort();
}
