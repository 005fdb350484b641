using System.Globalization;
using System.Text.RegularExpressions;
using ChartCraft.Infrastructure.Configuration;
using static ChartCraft.Infrastructure.Configuration.SettingValues;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>
/// Newsletter platform settings: OAuth apps, provider base URLs (configurable so tests and staging point at
/// fakes), the health-check interval and how long a hosted newsletter image link lives.
/// </summary>
public sealed record NewsletterPlatformSettings(
    string? MailchimpClientId,
    string? MailchimpClientSecret,
    string? KitClientId,
    string? KitClientSecret,
    string MailchimpLoginBaseUrl,
    string MailchimpApiBaseUrl,
    string KitApiBaseUrl,
    string KitOAuthBaseUrl,
    TimeSpan HealthCheckInterval,
    TimeSpan ImageLinkLifetime,
    TimeSpan OAuthStateLifetime,
    TimeSpan RetryDelay,
    IReadOnlyList<TimeSpan> PublishRetryCooldowns)
{
    public const string DataCentrePlaceholder = "{dc}";

    public bool MailchimpOAuthEnabled => MailchimpClientId is not null;
    public bool KitOAuthEnabled => KitClientId is not null;

    /// <summary>The Marketing API root of a data centre, e.g. https://us6.api.mailchimp.com.</summary>
    public string MailchimpApiBase(string dataCentre) =>
        MailchimpApiBaseUrl.Replace(DataCentrePlaceholder, MailchimpDataCentre.Validate(dataCentre), StringComparison.Ordinal);

    public static NewsletterPlatformSettings Load(IConfiguration config)
    {
        var (mailchimpId, mailchimpSecret) = ClientPair(config, "MAILCHIMP_CLIENT_ID", "MAILCHIMP_CLIENT_SECRET");
        var (kitId, kitSecret) = ClientPair(config, "KIT_CLIENT_ID", "KIT_CLIENT_SECRET");
        var mailchimpApi = Url(config, "MAILCHIMP_API_BASE_URL", "https://{dc}.api.mailchimp.com", DataCentrePlaceholder);
        var kitApi = Url(config, "KIT_API_BASE_URL", "https://api.kit.com");
        return new NewsletterPlatformSettings(
            mailchimpId, mailchimpSecret, kitId, kitSecret,
            Url(config, "MAILCHIMP_LOGIN_BASE_URL", "https://login.mailchimp.com"),
            mailchimpApi,
            kitApi,
            // Kit's authorization page is on the API host (developers.kit.com, "OAuth refresh token flow").
            Url(config, "KIT_OAUTH_BASE_URL", kitApi),
            Minutes(config, "INTEGRATION_CHECK_INTERVAL_MINUTES", 60, 0.05, 7 * 24 * 60, zeroTurnsOff: true),
            TimeSpan.FromDays(Int(config, "NEWSLETTER_IMAGE_LINK_DAYS", 365, 1, 10 * 365)),
            TimeSpan.FromMinutes(Int(config, "OAUTH_STATE_MINUTES", 10, 1, 60)),
            TimeSpan.FromMilliseconds(Int(config, "NEWSLETTER_RETRY_DELAY_MS", 1000, 0, 60_000)),
            Seconds(config, "NEWSLETTER_RETRY_COOLDOWNS_SECONDS", "5,30,120"));
    }

    /// <summary>"5,30,120" → cooldowns between attempts of a publish job (each 0–3600 s, at most 10).</summary>
    static IReadOnlyList<TimeSpan> Seconds(IConfiguration config, string key, string fallback)
    {
        var value = Text(config, key) ?? fallback;
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var seconds = new List<TimeSpan>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) || s < 0 || s > 3600)
                throw new InvalidConfigurationException(key, $"'{value}' must be comma-separated seconds (0–3600), e.g. 5,30,120");
            seconds.Add(TimeSpan.FromSeconds(s));
        }
        if (seconds.Count > 10) throw new InvalidConfigurationException(key, "at most 10 retries");
        return seconds;
    }

    static (string?, string?) ClientPair(IConfiguration config, string idKey, string secretKey)
    {
        var id = Text(config, idKey);
        var secret = Text(config, secretKey);
        if ((id is null) != (secret is null))
            throw new InvalidConfigurationException(id is null ? idKey : secretKey,
                $"is required when {(id is null ? secretKey : idKey)} is set (OAuth needs both)");
        return (id, secret);
    }

    static string Url(IConfiguration config, string key, string fallback, string? placeholder = null)
    {
        var value = (Text(config, key) ?? fallback).TrimEnd('/');
        var probe = placeholder is null ? value : value.Replace(placeholder, "us1", StringComparison.Ordinal);
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidConfigurationException(key, $"'{value}' is not an http(s) URL");
        return value;
    }
}

/// <summary>Mailchimp data centres ("us6"): the suffix of an API key, and part of the API host name.</summary>
public static partial class MailchimpDataCentre
{
    // Strict, because the value becomes part of a host name: nothing else may be smuggled into the URL.
    [GeneratedRegex("^[a-z]{2}[0-9]{1,3}$")]
    private static partial Regex DataCentre();

    [GeneratedRegex("^[A-Za-z0-9]{8,64}-(?<dc>[a-z]{2}[0-9]{1,3})$")]
    private static partial Regex ApiKey();

    /// <summary>The data centre of an API key like "0123…cdef-us6", or null when the key has no such suffix.</summary>
    public static string? FromApiKey(string apiKey)
    {
        var match = ApiKey().Match(apiKey.Trim());
        return match.Success ? match.Groups["dc"].Value : null;
    }

    public static bool IsValid(string? dataCentre) => dataCentre is not null && DataCentre().IsMatch(dataCentre);

    public static string Validate(string dataCentre) =>
        IsValid(dataCentre) ? dataCentre : throw new ArgumentException($"'{dataCentre}' is not a Mailchimp data centre", nameof(dataCentre));
}
