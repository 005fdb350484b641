using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Tests.Newsletter.Integrations;

public sealed class NewsletterPlatformSettingsTests
{
    static NewsletterPlatformSettings Load(params (string Key, string Value)[] values) =>
        ProviderFakes.Settings(values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void defaults_are_the_real_provider_hosts_an_hourly_check_and_year_long_image_links()
    {
        var settings = Load();
        settings.MailchimpLoginBaseUrl.ShouldBe("https://login.mailchimp.com");
        settings.MailchimpApiBase("us6").ShouldBe("https://us6.api.mailchimp.com");
        settings.KitApiBaseUrl.ShouldBe("https://api.kit.com");
        settings.KitOAuthBaseUrl.ShouldBe("https://api.kit.com");
        settings.HealthCheckInterval.ShouldBe(TimeSpan.FromHours(1));
        settings.ImageLinkLifetime.ShouldBe(TimeSpan.FromDays(365));
        settings.PublishRetryCooldowns.ShouldBe([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)]);
        settings.MailchimpOAuthEnabled.ShouldBeFalse();
        settings.KitOAuthEnabled.ShouldBeFalse();
    }

    [Fact]
    public void base_urls_point_anywhere_and_kit_oauth_follows_the_kit_api_unless_set()
    {
        var settings = Load(("MAILCHIMP_API_BASE_URL", "http://127.0.0.1:4010/"), ("KIT_API_BASE_URL", "http://127.0.0.1:4011"));
        settings.MailchimpApiBase("us6").ShouldBe("http://127.0.0.1:4010");
        settings.KitOAuthBaseUrl.ShouldBe("http://127.0.0.1:4011");
        Load(("KIT_OAUTH_BASE_URL", "https://app.kit.com")).KitOAuthBaseUrl.ShouldBe("https://app.kit.com");
    }

    [Theory]
    [InlineData("MAILCHIMP_API_BASE_URL", "ftp://{dc}.example.com")]
    [InlineData("KIT_API_BASE_URL", "not a url")]
    [InlineData("INTEGRATION_CHECK_INTERVAL_MINUTES", "-5")]
    [InlineData("NEWSLETTER_IMAGE_LINK_DAYS", "0")]
    [InlineData("NEWSLETTER_RETRY_COOLDOWNS_SECONDS", "5,soon")]
    public void a_bad_value_stops_start_up_naming_the_variable(string key, string value)
    {
        var error = Should.Throw<InvalidConfigurationException>(() => Load((key, value)));
        error.Variable.ShouldBe(key);
    }

    [Fact]
    public void an_oauth_client_id_without_its_secret_is_refused()
    {
        Should.Throw<InvalidConfigurationException>(() => Load(("KIT_CLIENT_ID", "abc"))).Variable.ShouldBe("KIT_CLIENT_SECRET");
        Should.Throw<InvalidConfigurationException>(() => Load(("MAILCHIMP_CLIENT_SECRET", "abc"))).Variable.ShouldBe("MAILCHIMP_CLIENT_ID");
        Load(("KIT_CLIENT_ID", "abc"), ("KIT_CLIENT_SECRET", "def")).KitOAuthEnabled.ShouldBeTrue();
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef-us6", "us6")]
    [InlineData("0123456789abcdef0123456789abcdef-us21", "us21")]
    [InlineData("0123456789abcdef0123456789abcdef", null)]
    [InlineData("0123456789abcdef-evil.com/x", null)]
    [InlineData("0123456789abcdef-us6.attacker.net", null)]
    public void the_data_centre_is_the_keys_suffix_and_nothing_else_reaches_the_host_name(string key, string? dataCentre) =>
        MailchimpDataCentre.FromApiKey(key).ShouldBe(dataCentre);

    [Fact]
    public void a_data_centre_that_is_not_one_cannot_be_put_into_the_api_host()
    {
        Should.Throw<ArgumentException>(() => Load().MailchimpApiBase("us6.evil.com"));
    }
}
