using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Newsletter.Integrations;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Account;

/// <summary>
/// The app with fake Mailchimp and Kit servers (an integration with a real-looking key), loopback webhook targets
/// allowed, and scheduled retries polled often.
/// </summary>
public sealed class AccountAppFixture : NewsletterAppFixture
{
    protected override IDictionary<string, string> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true";
            return settings;
        }
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        LocalWebhooksFixture.FastScheduledRetries(services);
        services.AddSingleton<IBlobStorage>(sp => sp.GetRequiredService<HeldStorage>());
        services.AddSingleton(sp => new HeldStorage(sp.GetRequiredService<LocalBlobStorage>()));
        services.AddSingleton<LocalBlobStorage>();
    }

    public HeldStorage Storage => Host.Services.GetRequiredService<HeldStorage>();
}

[CollectionDefinition(Name)]
public sealed class AccountCollection : ICollectionFixture<AccountAppFixture>
{
    public const string Name = "account";
}

/// <summary>Everything one user owns, made through the API, with the secrets that must never leave.</summary>
public sealed record AccountData(TestUser User, Guid SourceId, Guid ChartId, string ApiKey, string WebhookSecret, Guid WebhookId);

public static class AccountScenarios
{
    /// <summary>Never reached: deliveries to it fail, which is all these tests need of them.</summary>
    public const string HookUrl = "http://127.0.0.1:9/account-hook";

    /// <summary>
    /// A user with the sales sample uploaded and charted (then renamed and made public, so the stream has two events and
    /// a public view is counted in Redis), a Mailchimp connection and a webhook for every export.
    /// </summary>
    public static async Task<AccountData> AccountWithDataAsync(this AccountAppFixture app, string title = "Revenue by region")
    {
        // Verified: connecting a newsletter platform needs a confirmed email.
        var user = await app.RegisterVerifiedAsync();
        var chart = await app.CreateSalesChartAsync(user, title);
        var chartId = SalesCharts.IdOf(chart, "chart_id");
        var client = app.Client(user.AccessToken);
        var update = await client.PutAsync($"/api/charts/{chartId}", JsonContent.Create(new { title = title + " (final)", is_public = true }));
        update.StatusCode.ShouldBe(HttpStatusCode.OK, await update.Content.ReadAsStringAsync());
        (await app.Client().GetAsync($"/api/public/charts/{chartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var apiKey = app.Mailchimp.NewApiKey("Chart Weekly", "us14");
        await app.ConnectAsync(user, "mailchimp", apiKey);
        var webhook = await app.CreateWebhookOkAsync(user, HookUrl, "export.completed");
        return new AccountData(user, SalesCharts.IdOf(chart, "data_source_id"), chartId, apiKey,
            webhook["secret"]!.GetValue<string>(), SalesCharts.IdOf(webhook, "webhook_id"));
    }

    /// <summary>POST /api/account/export and wait until it has completed; returns the export as GET /api/export/{id} shows it.</summary>
    public static async Task<JsonNode> ExportAccountAsync(this AccountAppFixture app, TestUser user)
    {
        var response = await app.Client(user.AccessToken).PostAsync("/api/account/export", null);
        var queued = await response.JsonAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, queued.ToJsonString());
        var exportId = queued["export_id"]!.GetValue<string>();
        var done = await Export.ExportScenarios.WaitForExportAsync(app, user, exportId);
        done["status"]!.GetValue<string>().ShouldBe("completed", done["error"]?.ToString());
        return done;
    }
}
