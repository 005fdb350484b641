using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ChartCraft.Features.Upload.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChartCraft.Tests.Support.Fakes;

/// <summary>
/// Kit API v4 as documented in /work/shared/providers/specs/kit-v4.json (with the errata): X-Kit-Api-Key or
/// an OAuth bearer token, {"errors": [...]} bodies, broadcasts with integer ids, OAuth authorize and token
/// (KIT_API_BASE_URL = KIT_OAUTH_BASE_URL = BaseUrl). Request bodies are checked against the documented types.
/// </summary>
public sealed class FakeKit : FakeProviderServer
{
    public const string ClientId = "kit-client-5678";
    public const string ClientSecret = "kit-client-secret-never-shown";

    sealed record Token(string AccountName, DateTimeOffset ExpiresAt);
    sealed record PendingCode(string RedirectUri);

    readonly ConcurrentDictionary<string, string> _apiKeys = new();
    readonly ConcurrentDictionary<string, Token> _accessTokens = new();
    readonly ConcurrentDictionary<string, string> _refreshTokens = new();
    readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    long _nextBroadcastId = 500;

    /// <summary>Broadcasts by id, as Kit returns them (the "broadcast" object).</summary>
    public ConcurrentDictionary<long, JsonObject> Broadcasts { get; } = new();

    public string OAuthAccountName { get; set; } = "Kit Greetings";
    /// <summary>expires_in of issued access tokens.</summary>
    public int TokenLifetimeSeconds { get; set; } = 172800;

    protected override string FailureContentType => "application/json";

    public string NewApiKey(string accountName = "Kit Greetings")
    {
        var key = "kit_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        _apiKeys[key] = accountName;
        return key;
    }

    public void Revoke(string secret)
    {
        _apiKeys.TryRemove(secret, out _);
        _accessTokens.TryRemove(secret, out _);
    }

    public IReadOnlyCollection<string> IssuedAccessTokens => _accessTokens.Keys.ToList();
    public IReadOnlyCollection<string> IssuedRefreshTokens => _refreshTokens.Keys.ToList();

    public static string Errors(params string[] errors) => new JsonObject { ["errors"] = new JsonArray(errors.Select(e => (JsonNode?)e).ToArray()) }.ToJsonString();

    static IResult ErrorResult(int status, params string[] errors) => Results.Content(Errors(errors), "application/json", statusCode: status);

    public JsonObject AddBroadcast(string? content, string subject = "Our monthly numbers")
    {
        var id = Interlocked.Increment(ref _nextBroadcastId);
        var broadcast = new JsonObject
        {
            ["id"] = id,
            ["publication_id"] = id + 1000,
            ["created_at"] = "2026-01-01T00:00:00Z",
            ["subject"] = subject,
            ["preview_text"] = "Numbers inside",
            ["description"] = "Monthly issue",
            ["content"] = content,
            ["public"] = false,
            ["published_at"] = null,
            ["send_at"] = null,
            ["thumbnail_alt"] = null,
            ["thumbnail_url"] = null,
            ["public_url"] = null,
            ["email_address"] = "greetings@kit.dev",
            ["email_template"] = new JsonObject { ["id"] = 6, ["name"] = "Text Only" },
            ["subscriber_filter"] = new JsonArray(new JsonObject { ["all"] = new JsonArray(new JsonObject { ["type"] = "all_subscribers" }) }),
            ["status"] = "draft",
        };
        Broadcasts[id] = broadcast;
        return broadcast;
    }

    string? Authenticate(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Kit-Api-Key", out var key))
            return _apiKeys.TryGetValue(key.ToString(), out var name) ? name : null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.TryGetValue(header[7..], out var token)
            && token.ExpiresAt > DateTimeOffset.UtcNow)
            return token.AccountName;
        return null;
    }

    static readonly IResult Unauthorized = ErrorResult(401, "The access token is invalid");

    // Types of the writable broadcast fields in POST/PUT /v4/broadcasts (kit-v4.json, errata "lenient").
    static readonly Dictionary<string, string> FieldTypes = new()
    {
        ["email_template_id"] = "integer", ["email_address"] = "string?", ["content"] = "string", ["description"] = "string",
        ["public"] = "boolean", ["published_at"] = "string", ["send_at"] = "string?", ["thumbnail_alt"] = "any",
        ["thumbnail_url"] = "any", ["preview_text"] = "string", ["subject"] = "string", ["subscriber_filter"] = "array",
    };

    static string? InvalidField(JsonObject body)
    {
        foreach (var (name, value) in body)
        {
            if (!FieldTypes.TryGetValue(name, out var type)) continue;
            var ok = type switch
            {
                "any" => true,
                "string?" => value is null || value.GetValueKind() == System.Text.Json.JsonValueKind.String,
                "string" => value?.GetValueKind() == System.Text.Json.JsonValueKind.String,
                "integer" => value is JsonValue v && v.TryGetValue<long>(out _),
                "boolean" => value?.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
                "array" => value is JsonArray groups && groups.All(g => g is JsonObject o && o.Count >= 1
                    && o.All(p => p.Key is "all" or "any" or "none" && p.Value is JsonArray items
                                  && items.All(i => i?["type"] is not null && i["ids"] is JsonArray))),
                _ => false,
            };
            if (!ok) return name;
        }
        return null;
    }

    protected override void Map(WebApplication app)
    {
        app.MapGet("/v4/account", (HttpRequest request) => Authenticate(request) is not { } name
            ? Unauthorized
            : Json(200, new JsonObject
            {
                ["user"] = new JsonObject { ["email"] = "test@kit.dev", ["id"] = 27 },
                ["account"] = new JsonObject
                {
                    ["id"] = 27, ["name"] = name, ["plan_type"] = "creator", ["primary_email_address"] = "test@kit.dev",
                    ["created_at"] = "2023-02-17T11:43:55Z",
                    ["timezone"] = new JsonObject { ["name"] = "America/New_York", ["friendly_name"] = "Eastern Time (US & Canada)", ["utc_offset"] = "-05:00" },
                },
            }));

        app.MapGet("/v4/broadcasts/{id:long}", (long id, HttpRequest request) =>
            Authenticate(request) is null ? Unauthorized
            : Broadcasts.TryGetValue(id, out var broadcast) ? Json(200, new JsonObject { ["broadcast"] = broadcast.DeepClone() })
            : ErrorResult(404, "Not Found"));

        app.MapPut("/v4/broadcasts/{id:long}", async (long id, HttpRequest request) =>
        {
            if (Authenticate(request) is null) return Unauthorized;
            if (!Broadcasts.TryGetValue(id, out var broadcast)) return ErrorResult(404, "Not Found");
            var body = await ReadObjectAsync(request);
            if (body is null) return ErrorResult(422, "The request body is not a JSON object");
            if (InvalidField(body) is { } field) return ErrorResult(422, $"{field} is invalid");
            if (broadcast["status"]?.GetValue<string>() is "sending" or "completed")
                return ErrorResult(422, "Broadcast has already started sending");
            foreach (var (name, value) in body)
            {
                if (name == "email_template_id") broadcast["email_template"] = new JsonObject { ["id"] = value!.DeepClone(), ["name"] = "Template" };
                else if (FieldTypes.ContainsKey(name)) broadcast[name] = value?.DeepClone();
            }
            return Json(200, new JsonObject { ["broadcast"] = broadcast.DeepClone() });
        });

        app.MapPost("/v4/broadcasts", async (HttpRequest request) =>
        {
            if (Authenticate(request) is null) return Unauthorized;
            var body = await ReadObjectAsync(request);
            if (body is null) return ErrorResult(422, "The request body is not a JSON object");
            if (InvalidField(body) is { } field) return ErrorResult(422, $"{field} is invalid");
            var broadcast = AddBroadcast(body["content"]?.GetValue<string>(), body["subject"]?.GetValue<string>() ?? "");
            foreach (var (name, value) in body)
                if (FieldTypes.ContainsKey(name) && name != "email_template_id") broadcast[name] = value?.DeepClone();
            broadcast["status"] = body["send_at"] is null ? "draft" : "scheduled";
            return Json(201, new JsonObject { ["broadcast"] = broadcast.DeepClone() });
        });

        app.MapGet("/v4/oauth/authorize", (string? client_id, string? response_type, string? redirect_uri, string? state) =>
        {
            if (response_type != "code" || client_id != ClientId || string.IsNullOrEmpty(redirect_uri))
                return Results.BadRequest("invalid authorization request");
            var code = "kit-code-" + Guid.NewGuid().ToString("N");
            _codes[code] = new PendingCode(redirect_uri);
            return RedirectWithCode(redirect_uri, code, state);
        });

        // Kit's page does not say which encoding the token endpoint takes; the spec accepts JSON and forms.
        app.MapPost("/v4/oauth/token", async (HttpRequest request) =>
        {
            Dictionary<string, string?> fields;
            if (request.HasFormContentType)
                fields = (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => (string?)f.Value.ToString());
            else
                fields = (await ReadObjectAsync(request))?.ToDictionary(p => p.Key, p => p.Value?.ToString()) ?? [];
            string? Field(string name) => fields.TryGetValue(name, out var v) ? v : null;
            if (Field("client_id") != ClientId || Field("client_secret") != ClientSecret)
                return Json(401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Client authentication failed" });
            switch (Field("grant_type"))
            {
                case "authorization_code" when Field("code") is { } code && _codes.TryRemove(code, out var pending)
                                               && pending.RedirectUri == Field("redirect_uri"):
                    return Json(200, IssueTokens(OAuthAccountName));
                case "refresh_token" when Field("refresh_token") is { } refresh && _refreshTokens.TryRemove(refresh, out var account):
                    return Json(200, IssueTokens(account));
                default:
                    return Json(401, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "The provided authorization grant is invalid" });
            }
        });
    }

    JsonObject IssueTokens(string accountName)
    {
        var access = "kit-access-" + Guid.NewGuid().ToString("N");
        var refresh = "kit-refresh-" + Guid.NewGuid().ToString("N");
        _accessTokens[access] = new Token(accountName, DateTimeOffset.UtcNow.AddSeconds(TokenLifetimeSeconds));
        _refreshTokens[refresh] = accountName;
        return new JsonObject
        {
            ["access_token"] = access,
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenLifetimeSeconds,
            ["refresh_token"] = refresh,
            ["scope"] = "public",
            ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
    }
}
