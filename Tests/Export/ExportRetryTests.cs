using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Export;
using ChartCraft.Features.Messages;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;

namespace ChartCraft.Tests.Export;

/// <summary>
/// An export that keeps failing is retried on its own host's EXPORT_RETRY_DELAYS_SECONDS, then ends as failed with a
/// reason and announces export.failed.
/// </summary>
public sealed class ExportRetryTests
{
    /// <summary>No browser, so every render fails; three one-second retries where the other hosts of the run have two.</summary>
    sealed class BrowserlessInstance : LocalWebhooksFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["CHROMIUM_PATH"] = "/nonexistent/chromium",
            ["EXPORT_RETRY_DELAYS_SECONDS"] = "1,1,1",
        };
    }

    [Fact]
    public async Task an_export_that_keeps_failing_is_retried_after_each_delay_then_fails_and_announces_export_failed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var app = new BrowserlessInstance();
        await app.InitializeAsync();
        try
        {
            var (user, _, chartId) = await app.ChartAsync();
            await app.CreateWebhookOkAsync(user, receiver.Url(), WebhookEventTypes.ExportFailed);
            var queued = await app.Client(user.AccessToken).PostAsync("/api/export/pdf", JsonContent.Create(new { chart_ids = new[] { chartId } }));
            ((int)queued.StatusCode).ShouldBe(202, await queued.Content.ReadAsStringAsync());
            var exportId = (await queued.JsonAsync())["export_id"]!.GetValue<string>();

            var failed = await app.WaitForExportAsync(user, exportId);
            failed["status"]!.GetValue<string>().ShouldBe("failed");
            var error = failed["error"]!.GetValue<string>();
            error.ShouldBe("The headless browser could not be started. (gave up after 4 attempts)");
            await using (var session = app.Store.QuerySession())
            {
                var job = (await session.LoadAsync<ExportJob>(Guid.Parse(exportId)))!;
                job.Attempts.ShouldBe(4);
                (job.CompletedAt!.Value - job.StartedAt!.Value).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(3));
            }

            var announced = JsonNode.Parse((await receiver.WaitForAsync(1))[0].BodyText)!;
            announced["type"]!.GetValue<string>().ShouldBe("export.failed");
            announced["data"]!["export_id"]!.GetValue<string>().ShouldBe(exportId);
            announced["data"]!["error"]!.GetValue<string>().ShouldBe(error);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
