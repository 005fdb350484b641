using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>Tokens from Kit's OAuth server; access tokens expire and are refreshed with the refresh token.</summary>
public sealed record KitTokens(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"Kit tokens expiring {ExpiresAt:O}";
}

/// <summary>A broadcast as far as ChartCraft cares: its id, status and HTML.</summary>
public sealed record KitBroadcast(long Id, string? Status, string? Subject, string? Content, JsonObject Raw);

/// <summary>
/// The Kit API v4 operations ChartCraft uses (header X-Kit-Api-Key, or an OAuth bearer token) and Kit's
/// OAuth 2 endpoints (authorize on KIT_OAUTH_BASE_URL, token on the API host as Kit's document says).
/// </summary>
public sealed class KitClient(IHttpClientFactory http, NewsletterPlatformSettings settings, TimeProvider clock)
{
    public const string HttpClientName = "kit";
    const string Provider = NewsletterProviders.ConvertKit;

    string Api(string path) => settings.KitApiBaseUrl + "/v4" + path;

    static HttpRequestMessage Authorized(HttpMethod method, string url, IntegrationCredentials account, JsonNode? body = null)
    {
        var request = ProviderHttp.Request(method, url, account, body);
        if (account.Method == AuthMethods.OAuth)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Secret);
        else
            request.Headers.Add("X-Kit-Api-Key", account.Secret);
        return request;
    }

    Task<JsonNode?> SendAsync(HttpRequestMessage request, CancellationToken ct) => ProviderHttp.SendAsync(http.CreateClient(HttpClientName), Provider, request, ct);

    /// <summary>GET /v4/account: the account's name; throws a 401 <see cref="ProviderException"/> for refused credentials.</summary>
    public async Task<string?> GetAccountNameAsync(IntegrationCredentials account, CancellationToken ct)
    {
        var body = await SendAsync(Authorized(HttpMethod.Get, Api("/account"), account), ct);
        return ProviderJson.String(body?["account"]?["name"]) ?? ProviderJson.String(body?["user"]?["email"]);
    }

    /// <summary>GET /v4/broadcasts/{id}.</summary>
    public async Task<KitBroadcast> GetBroadcastAsync(IntegrationCredentials account, long id, CancellationToken ct)
    {
        var body = await SendAsync(Authorized(HttpMethod.Get, Api($"/broadcasts/{id}"), account), ct);
        return ToBroadcast(body, id);
    }

    /// <summary>PUT /v4/broadcasts/{id}: Kit updates the fields sent and keeps the others.</summary>
    public async Task<KitBroadcast> UpdateBroadcastAsync(IntegrationCredentials account, long id, JsonObject changes, CancellationToken ct)
    {
        var body = await SendAsync(Authorized(HttpMethod.Put, Api($"/broadcasts/{id}"), account, changes), ct);
        return ToBroadcast(body, id);
    }

    /// <summary>POST /v4/broadcasts: with send_at null Kit saves a draft.</summary>
    public async Task<KitBroadcast> CreateBroadcastAsync(IntegrationCredentials account, JsonObject broadcast, CancellationToken ct)
    {
        var body = await SendAsync(Authorized(HttpMethod.Post, Api("/broadcasts"), account, broadcast), ct);
        return ToBroadcast(body, null);
    }

    static KitBroadcast ToBroadcast(JsonNode? body, long? expectedId)
    {
        if (body?["broadcast"] is not JsonObject broadcast || ProviderJson.Long(broadcast["id"]) is not { } id)
            throw new ProviderException(Provider, 200, "the answer holds no broadcast");
        return new KitBroadcast(expectedId ?? id, ProviderJson.String(broadcast["status"]), ProviderJson.String(broadcast["subject"]),
            ProviderJson.String(broadcast["content"]), broadcast);
    }

    /// <summary>Where the browser goes to grant access (Kit: /v4/oauth/authorize).</summary>
    public Uri AuthorizeUrl(string state, string redirectUri) => new(
        $"{settings.KitOAuthBaseUrl}/v4/oauth/authorize?client_id={Uri.EscapeDataString(settings.KitClientId!)}&response_type=code" +
        $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&state={Uri.EscapeDataString(state)}");

    /// <summary>POST /v4/oauth/token with grant_type authorization_code.</summary>
    public Task<KitTokens> ExchangeCodeAsync(string code, string redirectUri, CancellationToken ct) =>
        TokenAsync(new JsonObject
        {
            ["client_id"] = settings.KitClientId,
            ["client_secret"] = settings.KitClientSecret,
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        }, ct);

    /// <summary>POST /v4/oauth/token with grant_type refresh_token.</summary>
    public Task<KitTokens> RefreshAsync(string refreshToken, CancellationToken ct) =>
        TokenAsync(new JsonObject
        {
            ["client_id"] = settings.KitClientId,
            ["client_secret"] = settings.KitClientSecret,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        }, ct);

    async Task<KitTokens> TokenAsync(JsonObject request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var token = await SendAsync(ProviderHttp.Request(HttpMethod.Post, Api("/oauth/token"), body: request), ct);
        var access = ProviderJson.String(token?["access_token"]);
        var refresh = ProviderJson.String(token?["refresh_token"]);
        if (access is null || refresh is null)
            throw new ProviderException(Provider, 200, "the token answer lacks access_token or refresh_token");
        // Counted from when we asked rather than Kit's created_at: never later than the real expiry, whatever the clocks say.
        var lifetime = TimeSpan.FromSeconds(ProviderJson.Long(token!["expires_in"]) ?? 0);
        return new KitTokens(access, refresh, now + lifetime);
    }
}

/// <summary>Reading provider JSON leniently: ids and numbers may come as strings or numbers.</summary>
public static class ProviderJson
{
    public static string? String(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    public static long? Long(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, out var parsed) => parsed,
        _ => null,
    };
}
