using System.Net;
using System.Net.Http.Json;
using ChartCraft.Features.Auth;
using ChartCraft.Features.Plans;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChartCraft.Tests.Plans;

/// <summary>
/// Only admins (ADMIN_EMAILS, carried as the token's role claim) change a user's tier, and the new tier's limits apply
/// to that user's very next request.
/// </summary>
[Collection(PlansCollection.Name)]
public sealed class ChangeTierTests(PlansFixture app)
{
    static readonly SemaphoreSlim AdminRegistration = new(1, 1);
    static TestUser? _admin;

    async Task<TestUser> AdminAsync()
    {
        await AdminRegistration.WaitAsync();
        try
        {
            return _admin ??= await app.RegisterAsync(PlansFixture.AdminEmail);
        }
        finally
        {
            AdminRegistration.Release();
        }
    }

    Task<HttpResponseMessage> ChangeTierAsync(TestUser caller, Guid userId, object body) =>
        app.Client(caller.AccessToken).PutAsync($"/api/admin/users/{userId}/tier", JsonContent.Create(body));

    [Fact]
    public async Task an_admin_raises_a_users_tier_and_a_refused_chart_then_passes_at_once()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);
        for (var i = 0; i < 4; i++) (await app.CreateChartAsync(user, sourceId, $"Chart {i}")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.CreateChartAsync(user, sourceId, "Fifth")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var changed = await ChangeTierAsync(await AdminAsync(), user.Id, new { tier = "pro" });

        changed.StatusCode.ShouldBe(HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        var body = await changed.JsonAsync();
        body["id"]!.GetValue<Guid>().ShouldBe(user.Id);
        body["email"]!.GetValue<string>().ShouldBe(user.Email);
        body["subscription_tier"]!.GetValue<string>().ShouldBe("pro");
        body.AsObject().ContainsKey("password_hash").ShouldBeFalse();
        var usage = await app.UsageAsync(user);
        usage["tier"]!.GetValue<string>().ShouldBe("pro");
        usage["limits"]!["charts"]!["limit"]!.GetValue<int>().ShouldBe(10);
        usage["limits"]!["exports_per_day"]!["limit"]!.GetValue<int>().ShouldBe(PlanSettings.Defaults["pro"].ExportsPerDay);
        usage["limits"]!["file_size_mb"]!["limit"]!.GetValue<int>().ShouldBe(10); // pro allows 50, the server's MAX_FILE_SIZE_MB 10
        (await app.CreateChartAsync(user, sourceId, "Fifth")).StatusCode.ShouldBe(HttpStatusCode.Created);
        var me = await (await app.Client(user.AccessToken).GetAsync("/api/auth/me")).JsonAsync();
        me["subscription_tier"]!.GetValue<string>().ShouldBe("pro");
    }

    [Fact]
    public async Task a_user_who_is_not_an_admin_gets_403_and_nothing_changes()
    {
        var user = await app.RegisterAsync();
        var other = await app.RegisterAsync();

        var refused = await ChangeTierAsync(user, other.Id, new { tier = "team" });
        var self = await ChangeTierAsync(user, user.Id, new { tier = "team" });

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.JsonAsync()).ShouldBeProblem(403);
        self.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.UsageAsync(other))["tier"]!.GetValue<string>().ShouldBe("free");
        (await app.UsageAsync(user))["tier"]!.GetValue<string>().ShouldBe("free");
        (await app.Client().PutAsync($"/api/admin/users/{other.Id}/tier", JsonContent.Create(new { tier = "pro" })))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task only_the_admins_token_carries_the_admin_role()
    {
        var admin = await AdminAsync();
        var user = await app.RegisterAsync();
        Roles(admin.AccessToken).ShouldBe(["admin"]);
        Roles(user.AccessToken).ShouldBeEmpty();

        // Login and refresh issue it again.
        var login = await (await app.Client().PostAsync("/api/auth/login", JsonContent.Create(new { email = admin.Email, password = admin.Password }))).JsonAsync();
        Roles(login["access_token"]!.GetValue<string>()).ShouldBe(["admin"]);
        var refreshed = await (await app.Client().PostAsync("/api/auth/refresh", JsonContent.Create(new { refresh_token = login["refresh_token"]!.GetValue<string>() }))).JsonAsync();
        Roles(refreshed["access_token"]!.GetValue<string>()).ShouldBe(["admin"]);
    }

    static string[] Roles(string accessToken) =>
        new JsonWebTokenHandler().ReadJsonWebToken(accessToken).Claims.Where(c => c.Type == "role").Select(c => c.Value).ToArray();

    [Theory]
    [InlineData("gold")]
    [InlineData("")]
    [InlineData("Pro")]
    public async Task an_unknown_tier_is_422_naming_the_field(string tier)
    {
        var user = await app.RegisterAsync();

        var refused = await ChangeTierAsync(await AdminAsync(), user.Id, new { tier });

        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.JsonAsync()).ShouldBeProblem(422)["errors"]!["tier"].ShouldNotBeNull();
        (await app.UsageAsync(user))["tier"]!.GetValue<string>().ShouldBe("free");
    }

    [Fact]
    public async Task an_unknown_user_is_404()
    {
        var refused = await ChangeTierAsync(await AdminAsync(), Guid.NewGuid(), new { tier = "pro" });

        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await refused.JsonAsync()).ShouldBeProblem(404);
    }

    [Fact]
    public void plan_and_admin_settings_are_read_and_checked_at_start()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Plans:team:Charts"] = "7", ["ADMIN_EMAILS"] = " Ops@Example.com ,",
        }).Build();
        var plans = PlanSettings.Load(config);
        plans.For("team").Charts.ShouldBe(7);
        plans.For("team").ExportsPerDay.ShouldBe(PlanSettings.Defaults["team"].ExportsPerDay);
        plans.For("free").ShouldBe(PlanSettings.Defaults["free"]);
        plans.For("retired-tier").ShouldBe(PlanSettings.Defaults["free"]);
        AdminRole.Load(config).IsAdmin(new User { NormalizedEmail = EmailCanonicalization.KeyOf("ops@example.com")! }).ShouldBeTrue();
        AdminRole.Load(config).IsAdmin(new User { NormalizedEmail = EmailCanonicalization.KeyOf("dev@example.com")! }).ShouldBeFalse();

        Should.Throw<InvalidConfigurationException>(() => PlanSettings.Load(Config("Plans:free:Charts", "-1"))).Variable.ShouldBe("Plans:free:Charts");
        Should.Throw<InvalidConfigurationException>(() => PlanSettings.Load(Config("Plans:pro:ExportsPerDay", "lots"))).Variable.ShouldBe("Plans:pro:ExportsPerDay");
        Should.Throw<InvalidConfigurationException>(() => AdminRole.Load(Config("ADMIN_EMAILS", "ops@example.com,not-an-email"))).Variable.ShouldBe("ADMIN_EMAILS");
        new TierLimits(1, 2, 3, 4, 5, 6, 7).ValueOf(PlanLimit.PublishesPerDay).ShouldBe(7);
        Should.Throw<ArgumentOutOfRangeException>(() => new TierLimits(1, 2, 3, 4, 5, 6, 7).ValueOf(new PlanLimit("seats", false)));
    }

    static IConfiguration Config(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
}
