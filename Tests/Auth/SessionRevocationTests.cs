using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Auth;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using StackExchange.Redis;

namespace ChartCraft.Tests.Auth;

/// <summary>Access tokens end with their session: logout, a refresh-token replay, deactivation, a new token generation.</summary>
[Collection(ApiCollection.Name)]
public sealed class SessionRevocationTests(AppFixture app)
{
    const string SessionEnded = "The access token's session has ended (signed out, revoked, or the account changed); sign in again.";

    static async Task<HttpResponseMessage> Charts(HttpClient client) => await client.GetAsync("/api/charts");

    async Task<int> ChartsStatus(string accessToken) => (int)(await Charts(app.Client(accessToken))).StatusCode;

    static Guid SessionOf(string accessToken) => Guid.Parse(new JsonWebToken(accessToken).GetClaim("sid").Value);

    static ClaimsPrincipal PrincipalOf(string accessToken) => new(new ClaimsIdentity(new JsonWebToken(accessToken).Claims));

    async Task<TestUser> LoginAgainAsync(TestUser user)
    {
        var body = await (await app.Client().PostAsync("/api/auth/login",
            System.Net.Http.Json.JsonContent.Create(new { email = user.Email, password = user.Password }))).JsonAsync();
        return user with { AccessToken = body["access_token"]!.GetValue<string>(), RefreshToken = body["refresh_token"]!.GetValue<string>() };
    }

    async Task LogoutAsync(TestUser session, IAlbaHost? host = null) =>
        await (host ?? app.Host).Scenario(s =>
        {
            s.WithBearerToken(session.AccessToken);
            s.Post.Json(new { refresh_token = session.RefreshToken }).ToUrl("/api/auth/logout");
            s.StatusCodeShouldBe(204);
        });

    static async Task ShouldBeSessionEnded(HttpResponseMessage response)
    {
        ((int)response.StatusCode).ShouldBe(401);
        response.Headers.WwwAuthenticate.ToString().ShouldStartWith("Bearer");
        (await response.JsonAsync()).ShouldBeProblem(401)["detail"]!.GetValue<string>().ShouldBe(SessionEnded);
    }

    /// <summary>The check as another instance with no local cache would run it, on <paramref name="redis"/>.</summary>
    SessionRevocations StandaloneRevocations(IConnectionMultiplexer redis) =>
        new(redis, app.Host.Services.GetRequiredService<RedisSettings>(), app.Host.Services.GetRequiredService<JwtSettings>(),
            new SessionRevocationSettings(TimeSpan.Zero), app.Store, TimeProvider.System, NullLogger<SessionRevocations>.Instance);

    [Fact]
    public async Task access_tokens_name_their_session_and_token_generation()
    {
        var user = await app.RegisterAsync();
        var token = new JsonWebToken(user.AccessToken);
        await using var session = app.Store.QuerySession();
        var refresh = await session.LoadAsync<RefreshToken>(TokenService.Hash(user.RefreshToken));
        token.GetClaim("sid").Value.ShouldBe(refresh!.FamilyId.ToString("N"));
        token.GetClaim("gen").Value.ShouldBe("0");
    }

    [Fact]
    public async Task after_logout_the_access_token_of_that_session_gets_401_saying_the_session_ended()
    {
        var user = await app.RegisterAsync();
        (await ChartsStatus(user.AccessToken)).ShouldBe(200);

        await LogoutAsync(user);

        await ShouldBeSessionEnded(await Charts(app.Client(user.AccessToken)));
        await ShouldBeSessionEnded(await app.Client(user.AccessToken).GetAsync("/api/auth/me"));
    }

    [Fact]
    public async Task logging_out_one_session_leaves_the_users_other_sessions_working()
    {
        var laptop = await app.RegisterAsync();
        var phone = await LoginAgainAsync(laptop);
        SessionOf(phone.AccessToken).ShouldNotBe(SessionOf(laptop.AccessToken));

        await LogoutAsync(laptop);

        (await ChartsStatus(laptop.AccessToken)).ShouldBe(401);
        (await ChartsStatus(phone.AccessToken)).ShouldBe(200);
        var refreshed = await app.Client().PostAsync("/api/auth/refresh", System.Net.Http.Json.JsonContent.Create(new { refresh_token = phone.RefreshToken }));
        ((int)refreshed.StatusCode).ShouldBe(200);
        (await ChartsStatus((await refreshed.JsonAsync())["access_token"]!.GetValue<string>())).ShouldBe(200);
    }

    [Fact]
    public async Task a_refresh_token_replay_ends_the_access_tokens_of_the_whole_family_and_only_that_family()
    {
        var user = await app.RegisterAsync();
        var other = await LoginAgainAsync(user);
        var rotated = await (await app.Client().PostAsync("/api/auth/refresh",
            System.Net.Http.Json.JsonContent.Create(new { refresh_token = user.RefreshToken }))).JsonAsync();
        var rotatedAccess = rotated["access_token"]!.GetValue<string>();
        SessionOf(rotatedAccess).ShouldBe(SessionOf(user.AccessToken)); // rotation stays in the session
        (await ChartsStatus(rotatedAccess)).ShouldBe(200);

        var replay = await app.Client().PostAsync("/api/auth/refresh", System.Net.Http.Json.JsonContent.Create(new { refresh_token = user.RefreshToken }));
        ((int)replay.StatusCode).ShouldBe(401);

        await ShouldBeSessionEnded(await Charts(app.Client(user.AccessToken)));
        await ShouldBeSessionEnded(await Charts(app.Client(rotatedAccess)));
        (await ChartsStatus(other.AccessToken)).ShouldBe(200);
    }

    [Fact]
    public async Task a_user_made_inactive_in_the_database_gets_401_at_once_with_every_token()
    {
        var user = await app.RegisterAsync();
        var second = await LoginAgainAsync(user);
        (await ChartsStatus(user.AccessToken)).ShouldBe(200); // this instance has read and cached the user as active

        await using (var session = app.Store.LightweightSession())
        {
            var stored = await session.LoadAsync<User>(user.Id);
            stored!.IsActive = false;
            session.Update(stored);
            await session.SaveChangesAsync();
        }

        await ShouldBeSessionEnded(await Charts(app.Client(user.AccessToken)));
        await ShouldBeSessionEnded(await Charts(app.Client(second.AccessToken)));
        var redis = app.Host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        ((string?)await redis.StringGetAsync($"test:{app.Schema}:auth:user-tokens:{user.Id:N}")).ShouldBe("inactive");
    }

    [Fact]
    public async Task raising_the_token_generation_ends_every_older_token_and_a_new_login_works()
    {
        // What a password change will do: the generation moves on, so tokens from before it no longer count.
        var user = await app.RegisterAsync();
        await using (var session = app.Store.LightweightSession())
        {
            var stored = await session.LoadAsync<User>(user.Id);
            stored!.TokenGeneration++;
            session.Update(stored);
            await session.SaveChangesAsync();
        }

        await ShouldBeSessionEnded(await Charts(app.Client(user.AccessToken)));
        var fresh = await LoginAgainAsync(user);
        new JsonWebToken(fresh.AccessToken).GetClaim("gen").Value.ShouldBe("1");
        (await ChartsStatus(fresh.AccessToken)).ShouldBe(200);
    }

    [Fact]
    public async Task revocation_markers_in_redis_outlive_the_access_token()
    {
        var user = await app.RegisterAsync();
        await LogoutAsync(user);
        var redis = app.Host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = $"test:{app.Schema}:auth:session-revoked:{SessionOf(user.AccessToken):N}";
        ((string?)await redis.StringGetAsync(key)).ShouldBe("logout");
        var accessLifetime = new JsonWebToken(user.AccessToken).ValidTo - new JsonWebToken(user.AccessToken).IssuedAt;
        (await redis.KeyTimeToLiveAsync(key))!.Value.ShouldBeGreaterThan(accessLifetime);
    }

    [Fact]
    public async Task revoked_sessions_lost_by_redis_are_written_back_from_postgres()
    {
        var user = await app.RegisterAsync();
        await LogoutAsync(user);
        var multiplexer = app.Host.Services.GetRequiredService<IConnectionMultiplexer>();
        var prefix = $"test:{app.Schema}:auth:";
        var key = $"{prefix}session-revoked:{SessionOf(user.AccessToken):N}";
        // What a Redis restart without persistence does to this app's keys.
        await multiplexer.GetDatabase().KeyDeleteAsync([key, $"{prefix}revocations-loaded"]);

        var revocations = StandaloneRevocations(multiplexer);
        await revocations.RewarmAsync(CancellationToken.None);

        ((string?)await multiplexer.GetDatabase().StringGetAsync(key)).ShouldBe("logout");
        (await multiplexer.GetDatabase().KeyExistsAsync($"{prefix}revocations-loaded")).ShouldBeTrue();
        (await revocations.IsRevokedAsync(PrincipalOf(user.AccessToken), CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task while_redis_is_unreachable_revocations_are_read_from_postgres_so_answers_stay_right()
    {
        var loggedOut = await app.RegisterAsync();
        var live = await LoginAgainAsync(loggedOut);
        await LogoutAsync(loggedOut);
        var deactivated = await app.RegisterAsync();
        await using (var session = app.Store.LightweightSession())
        {
            var stored = await session.LoadAsync<User>(deactivated.Id);
            stored!.IsActive = false;
            session.Update(stored);
            await session.SaveChangesAsync();
        }

        // Nothing listens on port 1: the connection never comes up.
        await using var unreachable = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200");
        unreachable.IsConnected.ShouldBeFalse();
        var revocations = StandaloneRevocations(unreachable);

        (await revocations.IsRevokedAsync(PrincipalOf(loggedOut.AccessToken), CancellationToken.None)).ShouldBeTrue();
        (await revocations.IsRevokedAsync(PrincipalOf(live.AccessToken), CancellationToken.None)).ShouldBeFalse();
        (await revocations.IsRevokedAsync(PrincipalOf(deactivated.AccessToken), CancellationToken.None)).ShouldBeTrue();

        // A logout while Redis is away still counts here (Postgres has it) and is written to Redis once it returns.
        await revocations.RevokeSessionAsync(SessionOf(live.AccessToken), RefreshToken.Logout);
        (await revocations.IsRevokedAsync(PrincipalOf(live.AccessToken), CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public async Task a_second_instance_on_the_same_redis_refuses_a_token_logged_out_on_the_first_within_its_cache_lifetime()
    {
        var second = new SecondInstance(app.Schema);
        await second.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            var other = await LoginAgainAsync(user);
            (await Charts(second.Client(user.AccessToken))).StatusCode.ShouldBe(HttpStatusCode.OK); // cached as live there

            await LogoutAsync(user);

            var clock = Stopwatch.StartNew();
            HttpResponseMessage response;
            while ((response = await Charts(second.Client(user.AccessToken))).StatusCode == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(5))
                await Task.Delay(100);
            await ShouldBeSessionEnded(response);
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(SecondInstance.CacheSeconds + 1.5));
            (await Charts(second.Client(other.AccessToken))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    /// <summary>Another app instance on the first one's database schema and Redis prefix, trusting its cache for 1 s.</summary>
    sealed class SecondInstance(string schema) : AppFixture
    {
        public const int CacheSeconds = 1;

        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["DATABASE_SCHEMA"] = schema,
            ["REDIS_KEY_PREFIX"] = $"test:{schema}:",
            ["AUTH_REVOCATION_CACHE_SECONDS"] = CacheSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

public sealed class SessionRevocationSettingsTests
{
    static IConfiguration Config(string? seconds) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["AUTH_REVOCATION_CACHE_SECONDS"] = seconds }).Build();

    [Theory]
    [InlineData(null, 5)]
    [InlineData("0", 0)]
    [InlineData("60", 60)]
    public void the_local_cache_lifetime_defaults_to_5_seconds_and_0_turns_it_off(string? value, int seconds) =>
        SessionRevocationSettings.Load(Config(value)).LocalCacheLifetime.ShouldBe(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("61")]
    [InlineData("-1")]
    [InlineData("five")]
    public void a_bad_cache_lifetime_stops_start_up_naming_the_variable(string value) =>
        Should.Throw<InvalidConfigurationException>(() => SessionRevocationSettings.Load(Config(value)))
            .Variable.ShouldBe("AUTH_REVOCATION_CACHE_SECONDS");
}
