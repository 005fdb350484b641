using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Tests.Support.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Newsletter.Integrations;

/// <summary>
/// Fake Mailchimp and Kit servers plus the app's provider clients pointed at them (no database): for testing
/// the clients, limits and publishing logic on the wire.
/// </summary>
public sealed class ProviderFakes : IAsyncLifetime
{
    public FakeMailchimp Mailchimp { get; } = new();
    public FakeKit Kit { get; } = new();
    public ServiceProvider Services { get; private set; } = null!;

    /// <summary>The configuration that points the app at these fakes (also used by the API fixture).</summary>
    public static Dictionary<string, string> Configuration(FakeMailchimp mailchimp, FakeKit kit) => new()
    {
        ["MAILCHIMP_CLIENT_ID"] = FakeMailchimp.ClientId,
        ["MAILCHIMP_CLIENT_SECRET"] = FakeMailchimp.ClientSecret,
        ["KIT_CLIENT_ID"] = FakeKit.ClientId,
        ["KIT_CLIENT_SECRET"] = FakeKit.ClientSecret,
        ["MAILCHIMP_LOGIN_BASE_URL"] = mailchimp.LoginBaseUrl,
        ["MAILCHIMP_API_BASE_URL"] = mailchimp.ApiBaseTemplate,
        ["KIT_API_BASE_URL"] = kit.BaseUrl,
        // Fast backoff when a 429 carries no Retry-After; real Retry-After values are still honoured.
        ["NEWSLETTER_RETRY_DELAY_MS"] = "20",
        ["INTEGRATION_CHECK_INTERVAL_MINUTES"] = "0",
        // Publish jobs try three times, one second apart, so a test sees a job give up.
        ["NEWSLETTER_RETRY_COOLDOWNS_SECONDS"] = "1,1",
    };

    public static NewsletterPlatformSettings Settings(IDictionary<string, string> values) =>
        NewsletterPlatformSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values!).Build());

    public MailchimpClient MailchimpClient => Services.GetRequiredService<MailchimpClient>();
    public KitClient KitClient => Services.GetRequiredService<KitClient>();

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddNewsletterProviderClients(Settings(Configuration(Mailchimp, Kit)));
        Services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Mailchimp.DisposeAsync();
        await Kit.DisposeAsync();
    }
}
