using ChartCraft.Features.Messages;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Webhooks;

/// <summary>A pending delivery is a durable message: it outlives the app instance that scheduled it.</summary>
public sealed class WebhookRestartTests
{
    /// <summary>An app instance on a given schema and Redis prefix (the data-protection keys are in the schema).</summary>
    sealed class Instance(string? schema = null) : AppFixture
    {
        public string SharedSchema => schema ?? Schema;

        protected override IDictionary<string, string> Settings
        {
            get
            {
                var settings = new Dictionary<string, string>
                {
                    ["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true",
                    // Long enough that the first instance is gone before the retry is due.
                    ["WEBHOOK_RETRY_DELAYS_SECONDS"] = "6,2,2,2",
                    ["DATABASE_SCHEMA"] = SharedSchema,
                    ["REDIS_KEY_PREFIX"] = $"test:{SharedSchema}:",
                };
                return settings;
            }
        }

        protected override void ConfigureServices(IServiceCollection services) => LocalWebhooksFixture.FastScheduledRetries(services);
    }

    [Fact]
    public async Task a_retry_scheduled_before_the_app_stops_is_delivered_by_the_next_app_start()
    {
        var port = WebhookReceiver.FreePort();
        var first = new Instance();
        await first.InitializeAsync();
        Instance? second = null;
        WebhookReceiver? receiver = null;
        try
        {
            var user = await first.RegisterAsync();
            var webhook = await first.CreateWebhookOkAsync(user, $"http://127.0.0.1:{port}/hook", WebhookEventTypes.DataSourceCreated);
            var webhookId = webhook["webhook_id"]!.GetValue<string>();
            await first.UploadOkAsync(user, "city,visits\nOslo,12\n");

            // The receiver is down: the first attempt fails and a retry is scheduled, then this instance stops.
            var failed = (await first.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 1 && d[0].Status() == "failed")).Single()!;
            failed["attempts"]!.GetValue<int>().ShouldBe(1);
            var deliveryId = failed["delivery_id"]!.GetValue<string>();
            await first.Host.DisposeAsync();

            receiver = await WebhookReceiver.StartAsync(port);
            second = new Instance(first.Schema);
            await second.InitializeAsync();

            var request = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(45)))[0];
            request.Header("webhook-id").ShouldBe(deliveryId);
            // The new instance read the secret through the shared data-protection keys and signed correctly.
            StandardWebhooksVerifier.Verify(webhook["secret"]!.GetValue<string>(), request).ShouldBeTrue();
            var delivered = (await second.WaitForDeliveriesAsync(user, webhookId, d => d[0].Status() == "succeeded")).Single()!;
            // Failed attempts while the receiver was down (normally just the first), then the success: the
            // receiver only started after the first instance stopped, so the second instance made that delivery.
            var codes = delivered["attempt_log"]!.AsArray().Select(a => a!["status_code"]?.GetValue<int>()).ToList();
            codes.Count.ShouldBeGreaterThanOrEqualTo(2);
            codes[^1].ShouldBe(200);
            codes[..^1].ShouldAllBe(c => c == null);
            receiver.Received.Count.ShouldBe(1);
        }
        finally
        {
            if (second is not null) await second.Host.DisposeAsync();
            if (receiver is not null) await receiver.DisposeAsync();
            await TestSchemas.DropAsync(first.Schema);
            foreach (var path in new[] { first.StoragePath, second?.StoragePath })
                if (path is not null && Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
    }
}
