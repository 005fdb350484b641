using System.Net;
using System.Text.Json.Nodes;
using ChartCraft.Features.Auth;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Auth;

/// <summary>Forgot, reset and change password, with the mails read from a real SMTP server.</summary>
[Collection(MailCollection.Name)]
public sealed class PasswordRecoveryTests(MailAppFixture app)
{
    async Task<HttpStatusCode> Login(string email, string password) =>
        (await app.PostAsync("/api/auth/login", new { email, password })).StatusCode;

    async Task<HttpStatusCode> Refresh(string refreshToken) =>
        (await app.PostAsync("/api/auth/refresh", new { refresh_token = refreshToken })).StatusCode;

    async Task<HttpStatusCode> Me(string accessToken) => (await app.Client(accessToken).GetAsync("/api/auth/me")).StatusCode;

    async Task<TestUser> LoginAgainAsync(TestUser user)
    {
        var body = await (await app.PostAsync("/api/auth/login", new { email = user.Email, password = user.Password })).JsonAsync();
        return user with { AccessToken = body["access_token"]!.GetValue<string>(), RefreshToken = body["refresh_token"]!.GetValue<string>() };
    }

    [Fact]
    public async Task forgot_answers_the_same_202_for_known_and_unknown_addresses_and_only_the_known_one_gets_a_mail()
    {
        var user = await app.RegisterAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        var known = await app.ForgotAsync(user.Email.ToUpperInvariant());
        var missing = await app.ForgotAsync(unknown);
        known.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        missing.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var body = await known.Content.ReadAsStringAsync();
        body.ShouldBe(await missing.Content.ReadAsStringAsync());
        JsonNode.Parse(body)!["detail"]!.GetValue<string>().ShouldBe(ForgotPasswordEndpoint.Answer);

        var mail = await app.Mail.WaitForAsync(user.Email, which: TestMailServer.Linking("reset-password"));
        mail.Subject.ShouldBe("Reset your ChartCraft password");
        mail.TextBody.ShouldContain("60 minutes");
        TestMailServer.TokenOf(mail, MailAppFixture.AppUrl, "reset-password").Length.ShouldBe(43); // 32 random bytes
        await Task.Delay(1000);
        app.Mail.To(unknown).ShouldBeEmpty();
        ((int)(await app.ForgotAsync("not-an-email")).StatusCode).ShouldBe(422);
    }

    [Fact]
    public async Task reset_sets_the_password_spends_the_token_and_ends_every_session()
    {
        var user = await app.RegisterAsync();
        var laptop = await LoginAgainAsync(user);
        await app.ForgotAsync(user.Email);
        await app.ForgotAsync(user.Email);
        var older = await app.ResetTokenAsync(user.Email, count: 1);
        var token = await app.ResetTokenAsync(user.Email, count: 2);
        await using (var session = app.Store.QuerySession())
        {
            var stored = (await session.LoadAsync<AccountToken>(TokenService.Hash(token)))!;
            stored.ExpiresAt.ShouldBe(stored.CreatedAt.AddHours(1));
            (await session.Query<AccountToken>().Where(t => t.Id == token).CountAsync()).ShouldBe(0); // never the raw token
        }

        (await app.PostAsync("/api/auth/password/reset", new { token, new_password = "brand new secret" })).StatusCode
            .ShouldBe(HttpStatusCode.NoContent);

        (await Login(user.Email, user.Password)).ShouldBe(HttpStatusCode.Unauthorized);
        (await Login(user.Email, "brand new secret")).ShouldBe(HttpStatusCode.OK);
        foreach (var session in new[] { user, laptop })
        {
            (await Me(session.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized);
            (await Refresh(session.RefreshToken)).ShouldBe(HttpStatusCode.Unauthorized);
        }
        // Spent, and so is the older link of the same account.
        foreach (var spent in new[] { token, older })
        {
            var again = await app.PostAsync("/api/auth/password/reset", new { token = spent, new_password = "another new secret" });
            ((int)again.StatusCode).ShouldBe(400);
            (await again.JsonAsync()).ShouldBeProblem(400)["title"]!.GetValue<string>().ShouldBe("Invalid or expired token");
        }
        // Opening the reset mail proved the address.
        var fresh = await LoginAgainAsync(user with { Password = "brand new secret" });
        (await app.MeAsync(fresh))["email_verified"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task a_weak_password_gets_422_and_the_token_stays_good_while_an_expired_or_foreign_token_gets_400()
    {
        var user = await app.RegisterAsync();
        await app.ForgotAsync(user.Email);
        var token = await app.ResetTokenAsync(user.Email);

        var weak = await app.PostAsync("/api/auth/password/reset", new { token, new_password = "short" });
        ((int)weak.StatusCode).ShouldBe(422);
        (await weak.JsonAsync())["errors"]!["new_password"]![0]!.GetValue<string>().ShouldContain("8 to 128");
        (await Login(user.Email, user.Password)).ShouldBe(HttpStatusCode.OK);

        // A verification token is not a reset token.
        var verification = await app.VerificationTokenAsync(user.Email);
        ((int)(await app.PostAsync("/api/auth/password/reset", new { token = verification, new_password = "long enough now" })).StatusCode).ShouldBe(400);

        await using (var session = app.Store.LightweightSession())
        {
            var stored = (await session.LoadAsync<AccountToken>(TokenService.Hash(token)))!;
            stored.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1); // an hour has passed
            session.Store(stored);
            await session.SaveChangesAsync();
        }
        ((int)(await app.PostAsync("/api/auth/password/reset", new { token, new_password = "long enough now" })).StatusCode).ShouldBe(400);
        (await Login(user.Email, user.Password)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task change_password_keeps_the_callers_session_and_ends_the_others()
    {
        var user = await app.RegisterAsync();
        var phone = await LoginAgainAsync(user);

        var wrong = await app.PostAsync("/api/auth/password", new { current_password = "not my password", new_password = "a new password" }, user.AccessToken);
        ((int)wrong.StatusCode).ShouldBe(403);
        (await wrong.JsonAsync()).ShouldBeProblem(403)["title"]!.GetValue<string>().ShouldBe("Wrong password");
        (await Login(user.Email, user.Password)).ShouldBe(HttpStatusCode.OK);
        (await Me(phone.AccessToken)).ShouldBe(HttpStatusCode.OK);

        var weak = await app.PostAsync("/api/auth/password", new { current_password = user.Password, new_password = "short" }, user.AccessToken);
        ((int)weak.StatusCode).ShouldBe(422);

        (await app.PostAsync("/api/auth/password", new { current_password = user.Password, new_password = "a new password" }, user.AccessToken))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await Me(user.AccessToken)).ShouldBe(HttpStatusCode.OK);
        (await Refresh(user.RefreshToken)).ShouldBe(HttpStatusCode.OK);
        (await Me(phone.AccessToken)).ShouldBe(HttpStatusCode.Unauthorized);
        (await Refresh(phone.RefreshToken)).ShouldBe(HttpStatusCode.Unauthorized);
        (await Login(user.Email, user.Password)).ShouldBe(HttpStatusCode.Unauthorized);
        (await Login(user.Email, "a new password")).ShouldBe(HttpStatusCode.OK);
        ((int)(await app.PostAsync("/api/auth/password", new { current_password = "x", new_password = "a new password" })).StatusCode).ShouldBe(401);
    }

    [Fact]
    public async Task forgot_is_limited_per_address_and_per_client_with_429_problem_details()
    {
        var user = await app.RegisterAsync();
        for (var i = 0; i < MailAppFixture.PerAddressLimit; i++)
            (await app.ForgotAsync(user.Email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var limited = await app.ForgotAsync(user.Email);
        ((int)limited.StatusCode).ShouldBe(429);
        int.Parse(limited.Headers.RetryAfter!.ToString()).ShouldBeInRange(1, 3600);
        (await limited.JsonAsync()).ShouldBeProblem(429)["detail"]!.GetValue<string>().ShouldContain("retry in");
        // An unknown address is limited the same way.
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        for (var i = 0; i < MailAppFixture.PerAddressLimit; i++) await app.ForgotAsync(unknown);
        ((int)(await app.ForgotAsync(unknown)).StatusCode).ShouldBe(429);

        var peer = MailAppFixture.NewPeer();
        for (var i = 0; i < MailAppFixture.PerClientLimit; i++)
            (await app.ForgotAsync($"spray-{Guid.NewGuid():N}@example.com", peer)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        ((int)(await app.ForgotAsync($"spray-{Guid.NewGuid():N}@example.com", peer)).StatusCode).ShouldBe(429);
        (await app.ForgotAsync($"spray-{Guid.NewGuid():N}@example.com")).StatusCode.ShouldBe(HttpStatusCode.Accepted); // another client

        await app.Mail.WaitForAsync(user.Email, count: 1 + MailAppFixture.PerAddressLimit);
        await Task.Delay(500);
        app.Mail.To(user.Email).Count.ShouldBe(1 + MailAppFixture.PerAddressLimit);
    }

    [Fact]
    public async Task a_mail_asked_for_while_the_mail_server_is_down_arrives_once_it_is_back_with_a_working_link()
    {
        var user = await app.RegisterAsync();
        await app.Mail.WaitForAsync(user.Email);
        app.Mail.Line.Cut();
        try
        {
            (await app.ForgotAsync(user.Email)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
            await Task.Delay(2500); // two attempts at least (MAIL_RETRY_DELAYS_SECONDS = 1)
            app.Mail.To(user.Email).Count.ShouldBe(1);
        }
        finally
        {
            app.Mail.Line.Start();
        }
        var token = await app.ResetTokenAsync(user.Email);
        (await app.PostAsync("/api/auth/password/reset", new { token, new_password = "after the outage" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Login(user.Email, "after the outage")).ShouldBe(HttpStatusCode.OK);
        // The failed attempts left no tokens behind: only the one that went out.
        await using var session = app.Store.QuerySession();
        (await session.Query<AccountToken>().Where(t => t.UserId == user.Id && t.Purpose == AccountToken.ResetPassword).CountAsync()).ShouldBe(1);
    }
}
