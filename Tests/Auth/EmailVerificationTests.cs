using System.Net.Http.Json;
using ChartCraft.Features.Auth;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Auth;

/// <summary>Register sends a verification mail over real SMTP; its link verifies the account once; unverified accounts cannot connect newsletters.</summary>
[Collection(MailCollection.Name)]
public sealed class EmailVerificationTests(MailAppFixture app)
{
    [Fact]
    public async Task register_mails_a_verification_link_that_verifies_the_account_once()
    {
        var user = await app.RegisterAsync();
        (await app.MeAsync(user))["email_verified"]!.GetValue<bool>().ShouldBeFalse();

        var mail = await app.Mail.WaitForAsync(user.Email);
        mail.Subject.ShouldBe("Verify your ChartCraft email address");
        mail.From.Mailboxes.Single().Address.ShouldBe(MailAppFixture.From);
        mail.To.Mailboxes.Single().Name.ShouldBe("Test User");
        mail.Headers["Auto-Submitted"].ShouldBe("auto-generated");
        mail.TextBody.ShouldStartWith("Hello Test User,");
        app.Mail.Logins.ShouldBeGreaterThan(0); // SMTP_URL's escaped credentials were used
        app.Mail.RefusedLogins.ShouldBe(0);
        var token = TestMailServer.TokenOf(mail, MailAppFixture.AppUrl, "verify-email");

        // Only the hash is stored.
        await using (var session = app.Store.QuerySession())
        {
            var stored = await session.Query<AccountToken>().Where(t => t.UserId == user.Id).ToListAsync();
            stored.Single().Id.ShouldBe(TokenService.Hash(token));
            stored.Single().Purpose.ShouldBe(AccountToken.VerifyEmail);
            stored.Single().ExpiresAt.ShouldBe(stored.Single().CreatedAt.AddHours(24));
        }

        (await app.PostAsync("/api/auth/verify-email", new { token })).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
        var me = await app.MeAsync(user);
        me["email_verified"]!.GetValue<bool>().ShouldBeTrue();
        me["pending_email"].ShouldBeNull();

        var again = await app.PostAsync("/api/auth/verify-email", new { token });
        ((int)again.StatusCode).ShouldBe(400);
        (await again.JsonAsync()).ShouldBeProblem(400)["title"]!.GetValue<string>().ShouldBe("Invalid or expired token");
    }

    [Fact]
    public async Task names_are_html_encoded_in_the_mail()
    {
        var email = $"xss-{Guid.NewGuid():N}@example.com";
        (await app.PostAsync("/api/auth/register", new
        {
            email, password = "correct horse 42", first_name = "<script>alert(1)</script>", last_name = "O'Brien & \"Co\"",
        })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        var mail = await app.Mail.WaitForAsync(email);
        mail.HtmlBody.ShouldContain("Hello &lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; &quot;Co&quot;,");
        mail.HtmlBody.ShouldNotContain("<script>");
        mail.TextBody.ShouldContain("Hello <script>alert(1)</script> O'Brien & \"Co\",");
    }

    [Fact]
    public async Task unknown_expired_and_malformed_tokens_are_refused_and_verify_nothing()
    {
        var user = await app.RegisterAsync();
        var token = await app.VerificationTokenAsync(user.Email);
        await using (var session = app.Store.LightweightSession())
        {
            var stored = (await session.LoadAsync<AccountToken>(TokenService.Hash(token)))!;
            stored.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            session.Store(stored);
            await session.SaveChangesAsync();
        }
        ((int)(await app.PostAsync("/api/auth/verify-email", new { token })).StatusCode).ShouldBe(400);
        ((int)(await app.PostAsync("/api/auth/verify-email", new { token = "not-a-token" })).StatusCode).ShouldBe(400);
        var empty = await app.PostAsync("/api/auth/verify-email", new { token = "" });
        ((int)empty.StatusCode).ShouldBe(422);
        (await empty.JsonAsync())["errors"]!["token"].ShouldNotBeNull();
        (await app.MeAsync(user))["email_verified"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task resend_mails_a_new_link_and_answers_409_once_verified()
    {
        var user = await app.RegisterAsync();
        await app.Mail.WaitForAsync(user.Email);
        var resend = await app.PostAsync("/api/auth/verify-email/resend", new { }, user.AccessToken);
        ((int)resend.StatusCode).ShouldBe(202);
        var second = await app.VerificationTokenAsync(user.Email, count: 2);
        (await app.PostAsync("/api/auth/verify-email", new { token = second })).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);

        var done = await app.PostAsync("/api/auth/verify-email/resend", new { }, user.AccessToken);
        ((int)done.StatusCode).ShouldBe(409);
        (await done.JsonAsync()).ShouldBeProblem(409)["title"]!.GetValue<string>().ShouldBe("Already verified");
        ((int)(await app.PostAsync("/api/auth/verify-email/resend", new { })).StatusCode).ShouldBe(401);
    }

    [Fact]
    public async Task an_unverified_account_cannot_connect_a_newsletter_platform_and_a_verified_one_gets_past_the_check()
    {
        var user = await app.RegisterAsync();
        var client = app.Client(user.AccessToken);
        foreach (var response in new[]
                 {
                     await client.PostAsync("/api/integrations/mailchimp/connect", JsonContent.Create(new { api_key = "key-us1" })),
                     await client.PostAsync("/api/integrations/convertkit/connect", JsonContent.Create(new { api_key = "kit-key" })),
                     await client.GetAsync("/api/integrations/mailchimp/oauth/start"),
                 })
        {
            ((int)response.StatusCode).ShouldBe(403);
            var problem = (await response.JsonAsync()).ShouldBeProblem(403);
            problem["title"]!.GetValue<string>().ShouldBe("Email not verified");
            problem["detail"]!.GetValue<string>().ShouldContain("Verify your email address");
        }
        await using (var session = app.Store.QuerySession())
            (await session.Query<ChartCraft.Features.Newsletter.Integrations.Integration>().Where(i => i.UserId == user.Id).CountAsync()).ShouldBe(0);

        await app.PostAsync("/api/auth/verify-email", new { token = await app.VerificationTokenAsync(user.Email) });
        // Past the check: this server has no Mailchimp OAuth app, which is the next thing the endpoint says.
        var start = await client.GetAsync("/api/integrations/mailchimp/oauth/start");
        ((int)start.StatusCode).ShouldBe(422);
    }
}
