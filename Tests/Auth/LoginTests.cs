using Alba;
using ChartCraft.Features.Auth;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class LoginTests(AppFixture app)
{
    [Fact]
    public async Task login_with_the_right_password_returns_a_working_token_pair()
    {
        var user = await app.RegisterAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = user.Email.ToUpperInvariant(), password = user.Password }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(200);
        });
        var body = await result.JsonAsync();
        body["token_type"]!.GetValue<string>().ShouldBe("bearer");
        body["expires_in"]!.GetValue<int>().ShouldBe(86400);
        var me = await app.Client(body["access_token"]!.GetValue<string>()).GetAsync("/api/auth/me");
        ((int)me.StatusCode).ShouldBe(200);
        (await me.JsonAsync())["id"]!.GetValue<string>().ShouldBe(user.Id.ToString());
    }

    [Fact]
    public async Task unknown_email_and_wrong_password_get_the_same_401_body()
    {
        var user = await app.RegisterAsync();
        var wrongPassword = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = user.Email, password = "not the password" }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(401);
        });
        var unknownEmail = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = $"nobody{Guid.NewGuid():N}@example.com", password = "not the password" }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(401);
        });
        var a = (await wrongPassword.JsonAsync()).ShouldBeProblem(401);
        var b = (await unknownEmail.JsonAsync()).ShouldBeProblem(401);
        a["title"]!.GetValue<string>().ShouldBe(b["title"]!.GetValue<string>());
        a["detail"]!.GetValue<string>().ShouldBe(b["detail"]!.GetValue<string>());
        a["detail"]!.GetValue<string>().ShouldBe(LoginEndpoint.InvalidCredentials);
    }

    [Fact]
    public async Task an_inactive_user_cannot_log_in_refresh_or_read_the_profile()
    {
        var user = await app.RegisterAsync();
        await using (var session = app.Store.LightweightSession())
        {
            var stored = await session.LoadAsync<User>(user.Id);
            stored!.IsActive = false;
            session.Update(stored);
            await session.SaveChangesAsync();
        }

        var login = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = user.Email, password = user.Password }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(403);
        });
        (await login.JsonAsync()).ShouldBeProblem(403);
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { refresh_token = user.RefreshToken }).ToUrl("/api/auth/refresh");
            s.StatusCodeShouldBe(401);
        });
        var me = await app.Client(user.AccessToken).GetAsync("/api/auth/me");
        ((int)me.StatusCode).ShouldBe(401);
    }

    [Fact]
    public async Task me_returns_the_user_response_fields()
    {
        var user = await app.RegisterAsync();
        var me = await (await app.Client(user.AccessToken).GetAsync("/api/auth/me")).JsonAsync();
        me.AsObject().Select(p => p.Key).OrderBy(k => k)
            .ShouldBe(["created_at", "email", "email_verified", "first_name", "id", "is_active", "last_name", "pending_email", "subscription_tier"]);
        me["email"]!.GetValue<string>().ShouldBe(user.Email);
        me["email_verified"]!.GetValue<bool>().ShouldBeFalse();
        me["pending_email"].ShouldBeNull();
    }
}
