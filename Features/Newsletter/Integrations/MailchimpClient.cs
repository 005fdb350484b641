using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>A file in Mailchimp's File Manager.</summary>
public sealed record MailchimpFile(long Id, string FullSizeUrl);

/// <summary>What Mailchimp's OAuth metadata says about the account behind a token.</summary>
public sealed record MailchimpAccount(string DataCentre, string? AccountName);

/// <summary>
/// The Mailchimp Marketing API v3 operations ChartCraft uses (HTTP Basic auth with any user name and
/// the API key or OAuth token as password, on the key's data centre) and Mailchimp's OAuth 2 endpoints.
/// </summary>
public sealed class MailchimpClient(IHttpClientFactory http, NewsletterPlatformSettings settings)
{
    public const string HttpClientName = "mailchimp";
    const string Provider = NewsletterProviders.Mailchimp;

    string Api(IntegrationCredentials account, string path) =>
        settings.MailchimpApiBase(account.DataCentre ?? throw new InvalidOperationException("Mailchimp credentials without a data centre")) + "/3.0" + path;

    static HttpRequestMessage Authorized(HttpMethod method, string url, IntegrationCredentials account, JsonNode? body = null)
    {
        var request = ProviderHttp.Request(method, url, account, body);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("chartcraft:" + account.Secret)));
        return request;
    }

    Task<JsonNode?> SendAsync(HttpRequestMessage request, CancellationToken ct) => ProviderHttp.SendAsync(http.CreateClient(HttpClientName), Provider, request, ct);

    /// <summary>GET /3.0/ping: throws a 401 <see cref="ProviderException"/> for a key Mailchimp refuses.</summary>
    public async Task PingAsync(IntegrationCredentials account, CancellationToken ct) =>
        await SendAsync(Authorized(HttpMethod.Get, Api(account, "/ping"), account), ct);

    /// <summary>GET /3.0/: the account's name.</summary>
    public async Task<string?> GetAccountNameAsync(IntegrationCredentials account, CancellationToken ct) =>
        ProviderJson.String((await SendAsync(Authorized(HttpMethod.Get, Api(account, "/"), account), ct))?["account_name"]);

    /// <summary>POST /3.0/file-manager/files: the image, base64-encoded; Mailchimp hosts it.</summary>
    public async Task<MailchimpFile> UploadFileAsync(IntegrationCredentials account, string name, byte[] content, CancellationToken ct)
    {
        var body = new JsonObject { ["name"] = name, ["file_data"] = Convert.ToBase64String(content) };
        var file = await SendAsync(Authorized(HttpMethod.Post, Api(account, "/file-manager/files"), account, body), ct);
        var url = ProviderJson.String(file?["full_size_url"]);
        if (string.IsNullOrEmpty(url)) throw new ProviderException(Provider, 200, "the File Manager answered without a full_size_url");
        return new MailchimpFile(ProviderJson.Long(file!["id"]) ?? 0, url);
    }

    /// <summary>GET /3.0/campaigns/{id}/content: the campaign's HTML (null when it has none yet).</summary>
    public async Task<string?> GetCampaignHtmlAsync(IntegrationCredentials account, string campaignId, CancellationToken ct) =>
        ProviderJson.String((await SendAsync(Authorized(HttpMethod.Get,
            Api(account, $"/campaigns/{Uri.EscapeDataString(campaignId)}/content"), account), ct))?["html"]);

    /// <summary>PUT /3.0/campaigns/{id}/content with raw HTML.</summary>
    public async Task SetCampaignHtmlAsync(IntegrationCredentials account, string campaignId, string html, CancellationToken ct) =>
        await SendAsync(Authorized(HttpMethod.Put, Api(account, $"/campaigns/{Uri.EscapeDataString(campaignId)}/content"), account,
            new JsonObject { ["html"] = html }), ct);

    /// <summary>POST /3.0/campaigns: a regular campaign without recipients, which Mailchimp keeps as a draft.</summary>
    public async Task<string> CreateDraftCampaignAsync(IntegrationCredentials account, string subject, string title, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["type"] = "regular",
            ["settings"] = new JsonObject { ["subject_line"] = subject, ["title"] = title },
        };
        var campaign = await SendAsync(Authorized(HttpMethod.Post, Api(account, "/campaigns"), account, body), ct);
        return ProviderJson.String(campaign?["id"]) is { Length: > 0 } id
            ? id
            : throw new ProviderException(Provider, 200, "the new campaign has no id");
    }

    /// <summary>Where the browser goes to grant access (login.mailchimp.com/oauth2/authorize).</summary>
    public Uri AuthorizeUrl(string state, string redirectUri) => new(
        $"{settings.MailchimpLoginBaseUrl}/oauth2/authorize?response_type=code&client_id={Uri.EscapeDataString(settings.MailchimpClientId!)}" +
        $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&state={Uri.EscapeDataString(state)}");

    /// <summary>POST /oauth2/token: the authorization code for an access token (Mailchimp's do not expire).</summary>
    public async Task<string> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct)
    {
        var request = ProviderHttp.Request(HttpMethod.Post, settings.MailchimpLoginBaseUrl + "/oauth2/token");
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = settings.MailchimpClientId!,
            ["client_secret"] = settings.MailchimpClientSecret!,
            ["redirect_uri"] = redirectUri,
            ["code"] = code,
        });
        var token = await SendAsync(request, ct);
        return ProviderJson.String(token?["access_token"]) is { Length: > 0 } accessToken
            ? accessToken
            : throw new ProviderException(Provider, 200, "the token answer has no access_token");
    }

    /// <summary>GET /oauth2/metadata: which data centre and account a token belongs to.</summary>
    public async Task<MailchimpAccount> GetMetadataAsync(string accessToken, CancellationToken ct)
    {
        var request = ProviderHttp.Request(HttpMethod.Get, settings.MailchimpLoginBaseUrl + "/oauth2/metadata");
        request.Headers.Authorization = new AuthenticationHeaderValue("OAuth", accessToken);
        var metadata = await SendAsync(request, ct);
        var dc = ProviderJson.String(metadata?["dc"]);
        if (!MailchimpDataCentre.IsValid(dc))
            throw new ProviderException(Provider, 200, "the OAuth metadata has no valid data centre");
        return new MailchimpAccount(dc!, ProviderJson.String(metadata!["accountname"]) ?? ProviderJson.String(metadata["login"]?["login_name"]));
    }
}
