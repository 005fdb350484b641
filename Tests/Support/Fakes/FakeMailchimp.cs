using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Features.Upload.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChartCraft.Tests.Support.Fakes;

/// <summary>
/// Mailchimp as documented in /work/shared/providers (Marketing API v3 subset and the OAuth 2 endpoints):
/// the API lives under /{dc}/3.0 (so MAILCHIMP_API_BASE_URL = BaseUrl + "/{dc}"), OAuth under /login
/// (MAILCHIMP_LOGIN_BASE_URL = BaseUrl + "/login"). HTTP Basic auth with the key or token as password,
/// on the right data centre; errors are Problem Details.
/// </summary>
public sealed class FakeMailchimp : FakeProviderServer
{
    public const string ClientId = "mc-client-1234";
    public const string ClientSecret = "mc-client-secret-never-shown";

    /// <summary>A Mailchimp campaign in the fake.</summary>
    public sealed class Campaign
    {
        public string Id { get; init; } = "";
        public string Type { get; init; } = "regular";
        public string Status { get; set; } = "save";
        public JsonObject Settings { get; init; } = new();
        public string? Html { get; set; }
    }

    sealed record Account(string DataCentre, string Name);
    sealed record PendingCode(string AccountName, string DataCentre, string RedirectUri);

    readonly ConcurrentDictionary<string, Account> _secrets = new();
    readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    readonly ConcurrentDictionary<string, byte[]> _files = new();
    int _nextFileId = 100;

    public ConcurrentDictionary<string, Campaign> Campaigns { get; } = new();

    int _slowSaves;

    /// <summary>
    /// Makes the next <paramref name="count"/> content saves take effect at once but answer only after
    /// <paramref name="delay"/>: the window in which a caller that dies has changed the campaign without knowing it.
    /// </summary>
    public void AnswerSavesLate(int count, TimeSpan delay)
    {
        SlowSaveDelay = delay;
        Volatile.Write(ref _slowSaves, count);
    }

    TimeSpan SlowSaveDelay { get; set; }

    public string ApiBaseTemplate => BaseUrl + "/{dc}";
    public string LoginBaseUrl => BaseUrl + "/login";
    /// <summary>The account the consent page grants (OAuth).</summary>
    public string OAuthAccountName { get; set; } = "Chart Weekly";
    public string OAuthDataCentre { get; set; } = "us7";

    protected override string FailureContentType => "application/problem+json";

    /// <summary>A valid API key (32 hex characters and the data centre) for a new account.</summary>
    public string NewApiKey(string accountName = "Chart Weekly", string dataCentre = "us6")
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() + "-" + dataCentre;
        _secrets[key] = new Account(dataCentre, accountName);
        return key;
    }

    /// <summary>The account removes the key (or the token is revoked): calls with it get 401.</summary>
    public void Revoke(string secret) => _secrets.TryRemove(secret, out _);

    public IReadOnlyCollection<string> IssuedTokens => _secrets.Keys.Where(k => k.StartsWith("mc-token-", StringComparison.Ordinal)).ToList();

    public byte[]? FileByUrl(string url) => _files.TryGetValue(url, out var bytes) ? bytes : null;

    public Campaign AddCampaign(string html, string status = "save")
    {
        var campaign = new Campaign { Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant(), Status = status, Html = html };
        Campaigns[campaign.Id] = campaign;
        return campaign;
    }

    public static string Problem(int status, string title, string detail) => new JsonObject
    {
        ["type"] = "https://mailchimp.com/developer/marketing/docs/errors/",
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
        ["instance"] = Guid.NewGuid().ToString(),
    }.ToJsonString();

    static IResult ProblemResult(int status, string title, string detail) =>
        Results.Content(Problem(status, title, detail), "application/problem+json", statusCode: status);

    static readonly IResult Unauthorized = ProblemResult(401, "API Key Invalid",
        "Your API key may be invalid, or you've attempted to access the wrong datacenter.");

    Account? Authenticate(HttpRequest request, string dc)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return null;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        }
        catch (FormatException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return null;
        return _secrets.TryGetValue(decoded[(colon + 1)..], out var account) && account.DataCentre == dc ? account : null;
    }

    protected override void Map(WebApplication app)
    {
        var api = app.MapGroup("/{dc}/3.0");
        api.MapGet("/ping", (string dc, HttpRequest request) =>
            Authenticate(request, dc) is null ? Unauthorized : Json(200, new JsonObject { ["health_status"] = "Everything's Chimpy!" }));

        api.MapGet("/", (string dc, HttpRequest request) => Authenticate(request, dc) is not { } account
            ? Unauthorized
            : Json(200, new JsonObject
            {
                ["account_id"] = "8d3a3db4d97663a9074efcc16",
                ["login_id"] = "1234",
                ["account_name"] = account.Name,
                ["email"] = "owner@example.com",
                ["username"] = "owner",
                ["role"] = "owner",
                ["pricing_plan_type"] = "monthly",
                ["total_subscribers"] = 42,
            }));

        api.MapPost("/file-manager/files", async (string dc, HttpRequest request) =>
        {
            if (Authenticate(request, dc) is null) return Unauthorized;
            var body = await ReadObjectAsync(request);
            if (body?["name"] is not JsonValue name || !name.TryGetValue<string>(out var fileName)
                || body["file_data"] is not JsonValue data || !data.TryGetValue<string>(out var base64))
                return ProblemResult(400, "Invalid Resource", "The resource submitted could not be validated: name and file_data are required.");
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                return ProblemResult(400, "Invalid Resource", "file_data is not base64.");
            }
            var id = Interlocked.Increment(ref _nextFileId);
            var url = $"https://mcusercontent.example.com/{dc}/images/{id}/{Uri.EscapeDataString(fileName)}";
            _files[url] = bytes;
            return Json(200, new JsonObject
            {
                ["id"] = id,
                ["folder_id"] = 0,
                ["type"] = "image",
                ["name"] = fileName,
                ["full_size_url"] = url,
                ["thumbnail_url"] = url + "?thumb",
                ["size"] = bytes.Length,
                ["created_at"] = "2026-01-01T00:00:00+00:00",
                ["created_by"] = "owner",
                ["width"] = 1200,
                ["height"] = 800,
            });
        });

        api.MapPost("/campaigns", async (string dc, HttpRequest request) =>
        {
            if (Authenticate(request, dc) is null) return Unauthorized;
            var body = await ReadObjectAsync(request);
            var type = body?["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null;
            if (type is not ("regular" or "plaintext" or "absplit" or "rss" or "variate"))
                return ProblemResult(400, "Invalid Resource", "The resource submitted could not be validated: type is required.");
            var campaign = new Campaign
            {
                Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant(),
                Type = type,
                Settings = body!["settings"] as JsonObject is { } settings ? (JsonObject)settings.DeepClone() : new JsonObject(),
            };
            Campaigns[campaign.Id] = campaign;
            return Json(200, CampaignJson(campaign));
        });

        api.MapGet("/campaigns/{id}", (string dc, string id, HttpRequest request) =>
            Authenticate(request, dc) is null ? Unauthorized
            : Campaigns.TryGetValue(id, out var campaign) ? Json(200, CampaignJson(campaign)) : NotFound());

        api.MapGet("/campaigns/{id}/content", (string dc, string id, HttpRequest request) =>
            Authenticate(request, dc) is null ? Unauthorized
            : Campaigns.TryGetValue(id, out var campaign) ? Json(200, ContentJson(campaign)) : NotFound());

        api.MapPut("/campaigns/{id}/content", async (string dc, string id, HttpRequest request) =>
        {
            if (Authenticate(request, dc) is null) return Unauthorized;
            if (!Campaigns.TryGetValue(id, out var campaign)) return NotFound();
            if (campaign.Status != "save")
                return ProblemResult(400, "Bad Request", "Cannot update the content of a campaign that has been sent.");
            var body = await ReadObjectAsync(request);
            if (body?["html"] is not JsonValue html || !html.TryGetValue<string>(out var text))
                return ProblemResult(400, "Invalid Resource", "html must be a string.");
            campaign.Html = text;
            if (Interlocked.Decrement(ref _slowSaves) >= 0) await Task.Delay(SlowSaveDelay);
            return Json(200, ContentJson(campaign));
        });

        app.MapGet("/login/oauth2/authorize", (string? response_type, string? client_id, string? redirect_uri, string? state) =>
        {
            if (response_type != "code" || client_id != ClientId || string.IsNullOrEmpty(redirect_uri))
                return Results.BadRequest("invalid authorization request");
            var code = "mc-code-" + Guid.NewGuid().ToString("N");
            _codes[code] = new PendingCode(OAuthAccountName, OAuthDataCentre, redirect_uri);
            return RedirectWithCode(redirect_uri, code, state);
        });

        app.MapPost("/login/oauth2/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
                return Json(401, new JsonObject { ["error"] = "invalid_client" });
            if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var pending)
                || pending.RedirectUri != form["redirect_uri"])
                return Json(400, new JsonObject { ["error"] = "invalid_grant" });
            var token = "mc-token-" + Guid.NewGuid().ToString("N");
            _secrets[token] = new Account(pending.DataCentre, pending.AccountName);
            return Json(200, new JsonObject { ["access_token"] = token, ["expires_in"] = 0, ["scope"] = null });
        });

        app.MapGet("/login/oauth2/metadata", (HttpRequest request) =>
        {
            var header = request.Headers.Authorization.ToString();
            if (!header.StartsWith("OAuth ", StringComparison.Ordinal) || !_secrets.TryGetValue(header[6..], out var account))
                return Json(401, new JsonObject { ["error"] = "invalid_token" });
            return Json(200, new JsonObject
            {
                ["dc"] = account.DataCentre,
                ["role"] = "owner",
                ["accountname"] = account.Name,
                ["user_id"] = 1234,
                ["login"] = new JsonObject { ["email"] = "owner@example.com", ["login_name"] = "owner" },
                ["login_url"] = "https://login.mailchimp.com",
                ["api_endpoint"] = $"https://{account.DataCentre}.api.mailchimp.com",
            });
        });
    }

    static IResult NotFound() => ProblemResult(404, "Resource Not Found", "The requested resource could not be found.");

    static JsonObject CampaignJson(Campaign c) => new()
    {
        ["id"] = c.Id,
        ["web_id"] = 1,
        ["type"] = c.Type,
        ["status"] = c.Status,
        ["create_time"] = "2026-01-01T00:00:00+00:00",
        ["content_type"] = "html",
        ["settings"] = c.Settings.DeepClone(),
    };

    static JsonObject ContentJson(Campaign c) => new() { ["html"] = c.Html, ["plain_text"] = "" };
}
