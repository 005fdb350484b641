using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChartCraft.Features.Webhooks;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Wolverine;

namespace ChartCraft.Tests.Webhooks;

/// <summary>
/// The app with private targets allowed (the receivers listen on 127.0.0.1), one-second retries so a retry
/// schedule runs in seconds, and a subscription marked failing after 2 deliveries give up.
/// </summary>
public class LocalWebhooksFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true",
        ["WEBHOOK_RETRY_DELAYS_SECONDS"] = "1,1,1",
        ["WEBHOOK_FAILING_AFTER"] = "2",
        ["WEBHOOK_TIMEOUT_SECONDS"] = "5",
    };

    protected override void ConfigureServices(IServiceCollection services) => FastScheduledRetries(services);

    /// <summary>
    /// Retries are durable scheduled messages, which Wolverine picks up on its scheduled-job poll (every 5 s by
    /// default); polling often lets a one-second schedule run in about one second.
    /// </summary>
    public static void FastScheduledRetries(IServiceCollection services) => services.ConfigureWolverine(o =>
    {
        o.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(200);
        o.Durability.ScheduledJobFirstExecution = TimeSpan.FromMilliseconds(200);
    });
}

[CollectionDefinition(Name)]
public sealed class LocalWebhooksCollection : ICollectionFixture<LocalWebhooksFixture>
{
    public const string Name = "webhooks-local";
}

/// <summary>
/// The production default (private targets refused) with a scripted DNS: names the test registers resolve to
/// what it says, and can be re-pointed, as a DNS-rebinding attacker would do; other names do not resolve.
/// </summary>
public sealed class StrictWebhooksFixture : AppFixture
{
    public ScriptedResolver Dns { get; } = new();

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WEBHOOK_ALLOW_PRIVATE_TARGETS"] = "false",
        ["WEBHOOK_RETRY_DELAYS_SECONDS"] = "1,1,1",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<IWebhookHostResolver>(Dns));
}

public sealed class ScriptedResolver : IWebhookHostResolver
{
    readonly ConcurrentDictionary<string, IPAddress[]> _answers = new(StringComparer.OrdinalIgnoreCase);

    public void Answer(string host, params IPAddress[] addresses) => _answers[host] = addresses;

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        _answers.TryGetValue(host, out var addresses) ? Task.FromResult(addresses)
        : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? Dns.GetHostAddressesAsync(host, ct)
        : throw new SocketException((int)SocketError.HostNotFound);
}

/// <summary>Calls of the webhooks API as a frontend makes them.</summary>
public static class WebhookApi
{
    public static async Task<HttpResponseMessage> CreateWebhookAsync(this AppFixture app, TestUser user, object request) =>
        await app.Client(user.AccessToken).PostAsync("/api/webhooks", JsonContent.Create(request));

    /// <summary>Creates a webhook and returns the 201 body (with its secret).</summary>
    public static async Task<JsonNode> CreateWebhookOkAsync(this AppFixture app, TestUser user, string url, params string[] events)
    {
        var response = await app.CreateWebhookAsync(user, new { url, events, description = "test receiver" });
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(201, body);
        return JsonNode.Parse(body)!;
    }

    public static async Task<JsonNode> DeliveriesAsync(this AppFixture app, TestUser user, string webhookId)
    {
        var response = await app.Client(user.AccessToken).GetAsync($"/api/webhooks/{webhookId}/deliveries?page_size=100");
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(200, body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Polls the deliveries log until <paramref name="done"/> holds for its items, or fails after the deadline.</summary>
    public static async Task<JsonArray> WaitForDeliveriesAsync(this AppFixture app, TestUser user, string webhookId,
        Func<JsonArray, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var items = (await app.DeliveriesAsync(user, webhookId))["items"]!.AsArray();
            if (done(items)) return items;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"deliveries never reached the expected state: {items.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static async Task<JsonNode> WebhookAsync(this AppFixture app, TestUser user, string webhookId)
    {
        var list = await (await app.Client(user.AccessToken).GetAsync("/api/webhooks?page_size=100")).JsonAsync();
        return list["items"]!.AsArray().Single(w => w!["webhook_id"]!.GetValue<string>() == webhookId)!;
    }

    public static string Status(this JsonNode? node) => node!["status"]!.GetValue<string>();
}

/// <summary>Drops a test schema that no fixture owns any more (after hosts that shared it are stopped).</summary>
public static class TestSchemas
{
    public static async Task DropAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
