using JasperFx.CodeGeneration;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using ChartCraft.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>A job whose handler always throws, quoting its payload in the exception (as an HTTP error quotes a URL).</summary>
public sealed record PoisonJob(Guid ChartId, Guid UserId, string ChartTitle, string WebhookUrl);

public static class PoisonJobHandler
{
    public static void Handle(PoisonJob job) =>
        throw new InvalidOperationException($"could not post '{job.ChartTitle}' to {job.WebhookUrl}");
}

/// <summary>
/// With SENTRY_DSN set, a background job that fails for good is reported with its message type and ids and nothing of
/// its payload: a dead-lettered message (retries exhausted), and an export the handler ends as failed.
/// </summary>
public sealed class JobErrorTrackingTests
{
    const string SecretTitle = "Board pack Zebra-4471";
    const string SecretUrl = "https://hooks.customer-secret.example/t/9f8e7d";

    sealed class ReportingFixture(string dsn) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["SENTRY_DSN"] = dsn, ["SENTRY_ENVIRONMENT"] = "test",
            // No browser: every render fails, so an export fails for good after its retries (EXPORT_RETRY_DELAYS_SECONDS 1,1).
            ["CHROMIUM_PATH"] = "/nonexistent/chromium",
        };

        protected override void ConfigureServices(IServiceCollection services)
        {
            LocalWebhooksFixture.FastScheduledRetries(services);
            services.ConfigureWolverine(o =>
            {
                o.Discovery.IncludeType(typeof(PoisonJobHandler));
                // A handler that exists only in the tests has no pre-generated code: this host compiles all of them.
                o.UseRuntimeCompilation();
                o.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            });
        }
    }

    static string Tag(JsonObject report, string name) => report["tags"]?[name]?.GetValue<string>() ?? "";

    [Fact]
    public async Task a_job_that_fails_for_good_is_reported_with_its_type_and_ids_and_without_its_payload()
    {
        await using var sentry = await FakeSentry.StartAsync();
        var app = new ReportingFixture(sentry.Dsn);
        await app.InitializeAsync();
        try
        {
            // 1. Dead-lettered: Wolverine gives up on the message.
            var chartId = Guid.NewGuid();
            var userId = Guid.NewGuid();
            using (var scope = app.Host.Services.CreateScope())
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new PoisonJob(chartId, userId, SecretTitle, SecretUrl));

            var dead = await sentry.WaitForEventAsync(e => Tag(e, "job") == nameof(PoisonJob), TimeSpan.FromSeconds(30));
            Tag(dead, "reason").ShouldBe("dead_lettered");
            Tag(dead, "message_type").ShouldContain(nameof(PoisonJob));
            Guid.TryParse(Tag(dead, "message_id"), out var messageId).ShouldBeTrue();
            messageId.ShouldNotBe(Guid.Empty);
            Tag(dead, "chart_id").ShouldBe(chartId.ToString());
            dead["level"]!.GetValue<string>().ShouldBe("error");
            dead["exception"]!["values"]![0]!["type"]!.GetValue<string>().ShouldBe("System.InvalidOperationException");

            // 2. Ended by its handler: an export that cannot render.
            var user = await app.RegisterAsync();
            var client = app.Client(user.AccessToken);
            var exportChartId = (await app.CreateSalesChartAsync(user, SecretTitle))["chart_id"]!.GetValue<string>();
            var queued = await client.PostAsync("/api/export/pdf", JsonContent.Create(new { chart_ids = new[] { exportChartId }, title = SecretTitle }));
            ((int)queued.StatusCode).ShouldBe(202, await queued.Content.ReadAsStringAsync());
            var exportId = (await queued.JsonAsync())["export_id"]!.GetValue<string>();

            var failed = await sentry.WaitForEventAsync(e => Tag(e, "job") == "RunExport", TimeSpan.FromSeconds(60));
            Tag(failed, "reason").ShouldBe("export_failed");
            Tag(failed, "export_id").ShouldBe(exportId);
            Tag(failed, "chart_id").ShouldBe(exportChartId);
            Tag(failed, "message_id").ShouldNotBeEmpty();
            Tag(failed, "message_type").ShouldContain("RunExport");

            // Nothing of the payloads anywhere in what was sent: not the titles, the URL, the exception text or the user.
            var sent = string.Join("\n", sentry.Envelopes.Select(e => e.Body));
            sent.ShouldNotContain(SecretTitle);
            sent.ShouldNotContain("Zebra");
            sent.ShouldNotContain(SecretUrl);
            sent.ShouldNotContain("customer-secret");
            sent.ShouldNotContain("could not post");
            sent.ShouldNotContain(userId.ToString());
            sent.ShouldNotContain(user.Id.ToString());
            sent.ShouldNotContain(user.Email);

            var metrics = await (await app.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
            metrics.ShouldContain("chartcraft_jobs_failed_total{job=\"PoisonJob\",reason=\"dead_lettered\"}");
            metrics.ShouldContain("chartcraft_jobs_failed_total{job=\"RunExport\",reason=\"export_failed\"}");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
