using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Webhooks;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Webhooks;

/// <summary>Real events from the API, delivered over HTTP to a receiver on 127.0.0.1.</summary>
[Collection(LocalWebhooksCollection.Name)]
public sealed class WebhookDeliveryTests(LocalWebhooksFixture app)
{
    const string Csv = "city,visits\nOslo,12\nLima,7\nPune,30\n";

    [Fact]
    public async Task an_upload_delivers_data_source_created_signed_per_standard_webhooks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.RegisterAsync();
        var webhook = await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated);
        var secret = webhook["secret"]!.GetValue<string>();
        var webhookId = webhook["webhook_id"]!.GetValue<string>();

        var upload = await app.UploadOkAsync(user, Csv, "cities.csv");
        var request = (await receiver.WaitForAsync(1)).Single();

        StandardWebhooksVerifier.Verify(secret, request).ShouldBeTrue();
        StandardWebhooksVerifier.Verify(WebhookSecrets.Generate(), request).ShouldBeFalse(); // another webhook's secret
        request.Header("content-type").ShouldStartWith("application/json");
        long.Parse(request.Header("webhook-timestamp")).ShouldBeInRange(
            DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var body = JsonNode.Parse(request.BodyText)!;
        body["type"]!.GetValue<string>().ShouldBe("data_source.created");
        DateTimeOffset.Parse(body["timestamp"]!.GetValue<string>()).ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        body["timestamp"]!.GetValue<string>().ShouldEndWith("Z");
        var data = body["data"]!;
        data["data_source_id"]!.GetValue<string>().ShouldBe(upload["data_source_id"]!.GetValue<string>());
        data["file_name"]!.GetValue<string>().ShouldBe("cities.csv");
        data["row_count"]!.GetValue<int>().ShouldBe(3);
        data["column_count"]!.GetValue<int>().ShouldBe(2);

        // The log shows the same delivery: its id is the webhook-id header.
        var deliveries = await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 1 && d[0].Status() == "succeeded");
        var delivery = deliveries.Single()!;
        delivery["delivery_id"]!.GetValue<string>().ShouldBe(request.Header("webhook-id"));
        delivery["event_type"]!.GetValue<string>().ShouldBe("data_source.created");
        delivery["attempts"]!.GetValue<int>().ShouldBe(1);
        delivery["response_code"]!.GetValue<int>().ShouldBe(200);
        delivery["attempt_log"]![0]!["duration_ms"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(0);
        delivery["completed_at"].ShouldNotBeNull();
    }

    [Fact]
    public async Task each_webhook_gets_only_the_events_it_asked_for()
    {
        await using var sources = await WebhookReceiver.StartAsync();
        await using var charts = await WebhookReceiver.StartAsync();
        var user = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        await app.CreateWebhookOkAsync(user, sources.Url(), WebhookEventTypes.DataSourceCreated);
        var chartHook = await app.CreateWebhookOkAsync(user, charts.Url(), WebhookEventTypes.ChartCreated);
        // Another user's upload is not this user's event.
        await app.CreateWebhookOkAsync(other, sources.Url("/other"), WebhookEventTypes.DataSourceCreated);

        var upload = await app.UploadOkAsync(user, Csv);
        await sources.WaitForAsync(1);
        var chart = await (await app.Client(user.AccessToken).PostAsJsonAsync("/api/charts", new
        {
            data_source_id = upload["data_source_id"]!.GetValue<string>(), chart_type = "bar", title = "Visits",
            config = new { x_column = "city", y_column = "visits" },
        })).JsonAsync();

        var chartRequest = (await charts.WaitForAsync(1)).Single();
        StandardWebhooksVerifier.Verify(chartHook["secret"]!.GetValue<string>(), chartRequest).ShouldBeTrue();
        var body = JsonNode.Parse(chartRequest.BodyText)!;
        body["type"]!.GetValue<string>().ShouldBe("chart.created");
        body["data"]!["chart_id"]!.GetValue<string>().ShouldBe(chart["chart_id"]!.GetValue<string>());
        body["data"]!["title"]!.GetValue<string>().ShouldBe("Visits");

        // Both events fanned out in their own transactions before the chart delivery arrived: nothing else came.
        sources.Received.Select(r => JsonNode.Parse(r.BodyText)!["type"]!.GetValue<string>()).ShouldBe(["data_source.created"]);
        sources.Received.ShouldAllBe(r => r.Path == "/hook");
    }

    [Fact]
    public async Task a_500_is_retried_with_the_same_webhook_id_and_the_log_records_both_attempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = n => n == 1 ? 500 : 204;
        var user = await app.RegisterAsync();
        var webhook = await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated);
        var secret = webhook["secret"]!.GetValue<string>();

        await app.UploadOkAsync(user, Csv);
        var requests = await receiver.WaitForAsync(2);

        requests.Count.ShouldBe(2);
        requests.ShouldAllBe(r => StandardWebhooksVerifier.Verify(secret, r));
        requests[1].Header("webhook-id").ShouldBe(requests[0].Header("webhook-id"));
        requests[1].Body.ShouldBe(requests[0].Body);
        // The schedule says one second between them.
        (requests[1].At - requests[0].At).ShouldBeGreaterThan(TimeSpan.FromMilliseconds(900));

        var delivery = (await app.WaitForDeliveriesAsync(user, webhook["webhook_id"]!.GetValue<string>(),
            d => d.Count == 1 && d[0].Status() == "succeeded")).Single()!;
        delivery["attempts"]!.GetValue<int>().ShouldBe(2);
        delivery["response_code"]!.GetValue<int>().ShouldBe(204);
        var log = delivery["attempt_log"]!.AsArray();
        log.Select(a => a!["attempt"]!.GetValue<int>()).ShouldBe([1, 2]);
        log.Select(a => a!["status_code"]!.GetValue<int>()).ShouldBe([500, 204]);
        log[0]!["error"]!.GetValue<string>().ShouldContain("500");
        log[1]!["error"].ShouldBeNull();
        (await app.WebhookAsync(user, webhook["webhook_id"]!.GetValue<string>())).Status().ShouldBe("active");
    }

    [Fact]
    public async Task a_delivery_that_keeps_failing_gives_up_after_the_last_retry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => 503;
        var user = await app.RegisterAsync();
        var webhookId = (await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();

        await app.UploadOkAsync(user, Csv);
        var delivery = (await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 1 && d[0].Status() == "gave_up")).Single()!;

        // WEBHOOK_RETRY_DELAYS_SECONDS=1,1,1: the first attempt and three retries.
        delivery["attempts"]!.GetValue<int>().ShouldBe(4);
        delivery["attempt_log"]!.AsArray().Select(a => a!["status_code"]!.GetValue<int>()).ShouldBe([503, 503, 503, 503]);
        delivery["next_attempt_at"].ShouldBeNull();
        receiver.Received.Count.ShouldBe(4);
        var webhook = await app.WebhookAsync(user, webhookId);
        webhook["consecutive_failures"]!.GetValue<int>().ShouldBe(1);
        webhook.Status().ShouldBe("active"); // one failed delivery is not yet a failing webhook (threshold 2)
    }

    [Fact]
    public async Task repeated_failed_deliveries_mark_the_webhook_failing_and_one_success_heals_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var healthy = false;
        receiver.Respond = _ => healthy ? 200 : 500;
        var user = await app.RegisterAsync();
        var webhookId = (await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();

        await Task.WhenAll(app.UploadOkAsync(user, Csv), app.UploadOkAsync(user, Csv));
        await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 2 && d.All(x => x.Status() == "gave_up"));
        var failing = await app.WebhookAsync(user, webhookId);
        failing.Status().ShouldBe("failing");
        failing["consecutive_failures"]!.GetValue<int>().ShouldBe(2);

        // Failing webhooks are still attempted; a success makes them active again.
        healthy = true;
        await app.UploadOkAsync(user, Csv);
        await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 3 && d[0].Status() == "succeeded");
        var healed = await app.WebhookAsync(user, webhookId);
        healed.Status().ShouldBe("active");
        healed["consecutive_failures"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task a_410_gone_disables_the_webhook_and_no_more_events_are_sent_to_it()
    {
        await using var gone = await WebhookReceiver.StartAsync();
        gone.Respond = _ => 410;
        await using var alive = await WebhookReceiver.StartAsync();
        var user = await app.RegisterAsync();
        var goneId = (await app.CreateWebhookOkAsync(user, gone.Url(), WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();

        await app.UploadOkAsync(user, Csv);
        var delivery = (await app.WaitForDeliveriesAsync(user, goneId, d => d.Count == 1 && d[0].Status() == "gave_up")).Single()!;
        delivery["attempts"]!.GetValue<int>().ShouldBe(1); // 410 is not retried
        delivery["response_code"]!.GetValue<int>().ShouldBe(410);
        var disabled = await app.WebhookAsync(user, goneId);
        disabled.Status().ShouldBe("disabled");
        disabled["disabled_reason"]!.GetValue<string>().ShouldContain("410");

        // The next event fans out to the live webhook only; once it arrived, the fan-out is over.
        var aliveId = (await app.CreateWebhookOkAsync(user, alive.Url(), WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();
        await app.UploadOkAsync(user, Csv);
        await alive.WaitForAsync(1);
        await app.WaitForDeliveriesAsync(user, aliveId, d => d.Count == 1);
        (await app.DeliveriesAsync(user, goneId))["total"]!.GetValue<int>().ShouldBe(1);
        gone.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_redirect_is_not_followed_and_counts_as_a_failed_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = n => n == 1 ? 302 : 200;
        var user = await app.RegisterAsync();
        var webhookId = (await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();

        await app.UploadOkAsync(user, Csv);
        var delivery = (await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 1 && d[0].Status() == "succeeded")).Single()!;
        delivery["attempt_log"]![0]!["status_code"]!.GetValue<int>().ShouldBe(302);
        delivery["attempt_log"]![0]!["error"]!.GetValue<string>().ShouldContain("redirect");
        receiver.Received.Count.ShouldBe(2);
        receiver.Received.ShouldAllBe(r => r.Path == "/hook");
    }

    [Fact]
    public async Task a_receiver_that_is_down_is_retried_until_it_answers()
    {
        var port = WebhookReceiver.FreePort();
        var user = await app.RegisterAsync();
        var webhookId = (await app.CreateWebhookOkAsync(user, $"http://127.0.0.1:{port}/hook", WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();

        await app.UploadOkAsync(user, Csv);
        var first = (await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 1 && d[0]["attempts"]!.GetValue<int>() >= 1)).Single()!;
        first["attempt_log"]![0]!["status_code"].ShouldBeNull();
        first["attempt_log"]![0]!["error"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();

        await using var receiver = await WebhookReceiver.StartAsync(port);
        await receiver.WaitForAsync(1);
        var delivery = (await app.WaitForDeliveriesAsync(user, webhookId, d => d[0].Status() == "succeeded")).Single()!;
        delivery["attempts"]!.GetValue<int>().ShouldBeGreaterThan(1);
    }

    [Fact]
    public async Task a_secret_that_can_no_longer_be_unprotected_gives_up_with_a_reason_instead_of_sending_unsigned()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.RegisterAsync();
        var webhookId = (await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();
        await using (var session = app.Store.LightweightSession())
        {
            var webhook = (await session.LoadAsync<WebhookSubscription>(Guid.Parse(webhookId)))!;
            webhook.ProtectedSecret = "CfDJ8-sealed-with-a-key-that-no-longer-exists";
            session.Store(webhook);
            await session.SaveChangesAsync();
        }

        await app.UploadOkAsync(user, Csv);
        var delivery = (await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 1 && d[0].Status() == "gave_up")).Single()!;
        delivery["attempts"]!.GetValue<int>().ShouldBe(0);
        delivery["error"]!.GetValue<string>().ShouldContain("signing secret");
        receiver.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task successful_deliveries_are_counted_in_the_metrics()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var user = await app.RegisterAsync();
        var webhookId = (await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.DataSourceCreated))["webhook_id"]!.GetValue<string>();
        var before = await SucceededCount();

        await app.UploadOkAsync(user, Csv);
        await app.WaitForDeliveriesAsync(user, webhookId, d => d.Count == 1 && d[0].Status() == "succeeded");

        // Other tests of the collection may deliver meanwhile: at least this one more.
        (await SucceededCount()).ShouldBeGreaterThanOrEqualTo(before + 1);
    }

    async Task<double> SucceededCount()
    {
        var metrics = await (await app.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        var line = metrics.Split('\n').SingleOrDefault(l => l.StartsWith("chartcraft_webhook_deliveries_total{result=\"succeeded\"}"));
        return line is null ? 0 : double.Parse(line.Split(' ').Last(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
