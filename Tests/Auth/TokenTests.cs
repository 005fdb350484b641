using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Auth;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChartCraft.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class TokenTests(AppFixture app)
{
    static string Base64Url(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    async Task<int> MeStatus(string token) => (int)(await app.Client(token).GetAsync("/api/auth/me")).StatusCode;

    /// <summary>POST /api/auth/refresh without a bearer token, checking the status; returns the body.</summary>
    async Task<JsonNode> RefreshAsync(string refreshToken, int status = 200)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { refresh_token = refreshToken }).ToUrl("/api/auth/refresh");
            s.StatusCodeShouldBe(status);
        });
        return await result.JsonAsync();
    }

    /// <summary>POST /api/auth/logout, with <paramref name="accessToken"/> as the bearer token when given, checking the status.</summary>
    Task LogoutAsync(string refreshToken, string? accessToken, int status) =>
        app.Host.Scenario(s =>
        {
            if (accessToken is not null) s.WithBearerToken(accessToken);
            s.Post.Json(new { refresh_token = refreshToken }).ToUrl("/api/auth/logout");
            s.StatusCodeShouldBe(status);
        });

    static string Sign(Guid userId, string secret, DateTime expires, DateTime? issued = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "chartcraft",
            Audience = "chartcraft",
            IssuedAt = issued ?? expires.AddHours(-1),
            NotBefore = issued ?? expires.AddHours(-1),
            Expires = expires,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString())]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });

    [Fact]
    public async Task access_token_carries_sub_email_iat_exp_and_jti()
    {
        var user = await app.RegisterAsync();
        var token = new JsonWebToken(user.AccessToken);
        token.Alg.ShouldBe("HS256");
        token.Subject.ShouldBe(user.Id.ToString());
        token.GetClaim("email").Value.ShouldBe(user.Email);
        token.GetClaim("jti").Value.ShouldNotBeNullOrEmpty();
        (token.ValidTo - token.IssuedAt).ShouldBe(TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task a_token_with_alg_none_is_rejected()
    {
        var user = await app.RegisterAsync();
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var unsigned = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
                       Base64Url($"{{\"sub\":\"{user.Id}\",\"iss\":\"chartcraft\",\"aud\":\"chartcraft\",\"exp\":{exp}}}") + ".";
        (await MeStatus(unsigned)).ShouldBe(401);
    }

    [Fact]
    public async Task a_token_signed_with_another_key_is_rejected()
    {
        var user = await app.RegisterAsync();
        (await MeStatus(Sign(user.Id, "another-secret-another-secret-1234567", DateTime.UtcNow.AddHours(1)))).ShouldBe(401);
        // The same claims signed with the real key pass, so the key is what was refused.
        (await MeStatus(Sign(user.Id, TestEnvironment.JwtSecret, DateTime.UtcNow.AddHours(1)))).ShouldBe(200);
    }

    [Fact]
    public async Task a_token_whose_payload_was_edited_is_rejected()
    {
        var user = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        var parts = user.AccessToken.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace(user.Id.ToString(), other.Id.ToString());
        (await MeStatus($"{parts[0]}.{Base64Url(payload)}.{parts[2]}")).ShouldBe(401);
    }

    [Fact]
    public async Task an_expired_token_is_rejected_with_a_problem_saying_so()
    {
        var user = await app.RegisterAsync();
        var expired = Sign(user.Id, TestEnvironment.JwtSecret, DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddHours(-2));
        var response = await app.Client(expired).GetAsync("/api/auth/me");
        ((int)response.StatusCode).ShouldBe(401);
        (await response.JsonAsync()).ShouldBeProblem(401)["detail"]!.GetValue<string>().ShouldContain("expired");
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
    }

    [Fact]
    public async Task refresh_rotates_the_pair_and_the_old_refresh_token_stops_working()
    {
        var user = await app.RegisterAsync();
        var pair = await RefreshAsync(user.RefreshToken);
        var next = pair["refresh_token"]!.GetValue<string>();
        next.ShouldNotBe(user.RefreshToken);
        (await MeStatus(pair["access_token"]!.GetValue<string>())).ShouldBe(200);

        await RefreshAsync(next);
    }

    [Fact]
    public async Task replaying_a_rotated_refresh_token_revokes_the_whole_family()
    {
        var user = await app.RegisterAsync();
        var rotated = await RefreshAsync(user.RefreshToken);
        var current = rotated["refresh_token"]!.GetValue<string>();

        var replay = await RefreshAsync(user.RefreshToken, 401);
        replay.ShouldBeProblem(401);

        // The legitimate newest token of the family is dead too.
        await RefreshAsync(current, 401);
        await using var session = app.Store.QuerySession();
        var family = await session.Query<RefreshToken>().Where(t => t.UserId == user.Id).ToListAsync();
        family.ShouldAllBe(t => t.RevokedAt != null);
        family.ShouldContain(t => t.RevokedReason == "reuse_detected");
    }

    [Fact]
    public async Task the_same_refresh_token_sent_from_several_tabs_at_once_gives_one_new_pair_and_401s_never_500()
    {
        var user = await app.RegisterAsync();
        var body = System.Net.Http.Json.JsonContent.Create(new { refresh_token = user.RefreshToken });
        await body.LoadIntoBufferAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            await app.Client().PostAsync("/api/auth/refresh", System.Net.Http.Json.JsonContent.Create(new { refresh_token = user.RefreshToken }))));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        statuses.ShouldAllBe(s => s == 200 || s == 401, string.Join(",", statuses));
        statuses.Count(s => s == 200).ShouldBe(1);
        foreach (var rejected in responses.Where(r => (int)r.StatusCode == 401))
            (await rejected.JsonAsync()).ShouldBeProblem(401);
    }

    [Fact]
    public async Task refresh_tokens_are_stored_hashed_and_expire()
    {
        var user = await app.RegisterAsync();
        await using (var session = app.Store.LightweightSession())
        {
            (await session.LoadAsync<RefreshToken>(user.RefreshToken)).ShouldBeNull();
            var stored = await session.LoadAsync<RefreshToken>(TokenService.Hash(user.RefreshToken));
            stored.ShouldNotBeNull();
            stored.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(29));
            stored.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            session.Update(stored);
            await session.SaveChangesAsync();
        }
        var result = await RefreshAsync(user.RefreshToken, 401);
        result["detail"]!.GetValue<string>().ShouldContain("expired");
    }

    [Fact]
    public async Task logout_revokes_that_refresh_token_and_needs_a_bearer_token()
    {
        var user = await app.RegisterAsync();
        await LogoutAsync(user.RefreshToken, null, 401);
        await LogoutAsync(user.RefreshToken, user.AccessToken, 204);
        var refused = await RefreshAsync(user.RefreshToken, 401);
        refused["detail"]!.GetValue<string>().ShouldContain("revoked");
    }

    [Fact]
    public async Task logout_cannot_revoke_another_users_refresh_token()
    {
        var owner = await app.RegisterAsync();
        var intruder = await app.RegisterAsync();
        await LogoutAsync(owner.RefreshToken, intruder.AccessToken, 204);
        await RefreshAsync(owner.RefreshToken);
    }
}
