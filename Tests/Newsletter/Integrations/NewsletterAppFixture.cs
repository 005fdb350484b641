using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Export;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChartCraft.Tests.Newsletter.Integrations;

/// <summary>
/// The app against real Postgres and Redis with Mailchimp and Kit replaced by fake servers (base URLs from
/// configuration, as in production); charts are exported by the real export feature (Chromium).
/// </summary>
public class NewsletterAppFixture : AppFixture, IAsyncLifetime
{
    public const string Frontend = "https://app.example.com";

    public FakeMailchimp Mailchimp { get; } = new();
    public FakeKit Kit { get; } = new();

    protected override IDictionary<string, string> Settings
    {
        get
        {
            var settings = ProviderFakes.Configuration(Mailchimp, Kit);
            settings["FRONTEND_URL"] = Frontend;
            return settings;
        }
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Mailchimp.DisposeAsync();
        await Kit.DisposeAsync();
    }

    /// <summary>A bar chart of the sales sample, owned by <paramref name="user"/>.</summary>
    public async Task<Guid> CreateChartAsync(TestUser user, string title = "Revenue by region", bool isPublic = false) =>
        SalesCharts.IdOf(await this.CreateSalesChartAsync(user, title, isPublic: isPublic), "chart_id");

    /// <summary>The whole OAuth dance as a browser does it: start, the provider's consent redirect, our callback.</summary>
    public async Task ConnectWithOAuthAsync(TestUser user, string provider)
    {
        var start = await (await Client(user.AccessToken).GetAsync($"/api/integrations/{provider}/oauth/start")).JsonAsync();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.GetAsync(start["authorize_url"]!.GetValue<string>());
        var callback = await Client().GetAsync(consent.Headers.Location!.PathAndQuery);
        callback.Headers.Location!.ToString().ShouldBe($"{Frontend}/integrations?provider={provider}&status=connected");
    }

    /// <summary>Connects a provider with an API key and returns the 201 body.</summary>
    public async Task<JsonNode> ConnectAsync(TestUser user, string provider, string apiKey, int status = 201)
    {
        var response = await Client(user.AccessToken).PostAsync($"/api/integrations/{provider}/connect",
            JsonContent.Create(new { api_key = apiKey }));
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(status, text);
        text.ShouldNotContain(apiKey);
        return JsonNode.Parse(text)!;
    }
}

[CollectionDefinition(Name)]
public sealed class NewsletterCollection : ICollectionFixture<NewsletterAppFixture>
{
    public const string Name = "newsletter";
}
