using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Auth;

/// <summary>PATCH /api/auth/me: names at once; a new email only once confirmed from the mail sent to it.</summary>
[Collection(MailCollection.Name)]
public sealed class UpdateProfileTests(MailAppFixture app)
{
    async Task<HttpResponseMessage> PatchAsync(TestUser user, object body) =>
        await app.Client(user.AccessToken).PatchAsync("/api/auth/me", JsonContent.Create(body));

    [Fact]
    public async Task names_change_at_once_and_absent_fields_stay()
    {
        var user = await app.RegisterAsync();
        var response = await PatchAsync(user, new { first_name = "  Grace " });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body["first_name"]!.GetValue<string>().ShouldBe("Grace");
        body["last_name"]!.GetValue<string>().ShouldBe("User");
        body["email"]!.GetValue<string>().ShouldBe(user.Email);
        body["email_verified"]!.GetValue<bool>().ShouldBeFalse();
        body["pending_email"].ShouldBeNull();
        (await app.MeAsync(user))["first_name"]!.GetValue<string>().ShouldBe("Grace");
    }

    [Fact]
    public async Task invalid_fields_get_422_and_change_nothing()
    {
        var user = await app.RegisterAsync();
        var response = await PatchAsync(user, new { first_name = "", last_name = new string('x', 101), email = "not-an-email" });
        ((int)response.StatusCode).ShouldBe(422);
        (await response.JsonAsync()).ShouldBeProblem(422)["errors"]!.AsObject().Select(e => e.Key).OrderBy(k => k)
            .ShouldBe(["email", "first_name", "last_name"]);
        var me = await app.MeAsync(user);
        me["first_name"]!.GetValue<string>().ShouldBe("Test");
        me["pending_email"].ShouldBeNull();
        ((int)(await app.Client().PatchAsync("/api/auth/me", JsonContent.Create(new { first_name = "X" }))).StatusCode).ShouldBe(401);
    }

    [Fact]
    public async Task a_new_email_is_pending_until_confirmed_from_the_mail_sent_to_it_and_the_old_address_hears_of_it()
    {
        var user = await app.RegisterAsync();
        var firstToken = await app.VerificationTokenAsync(user.Email);
        var newEmail = $"New.{Guid.NewGuid():N}@Example.com";

        var response = await PatchAsync(user, new { email = newEmail });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body["email"]!.GetValue<string>().ShouldBe(user.Email);
        body["pending_email"]!.GetValue<string>().ShouldBe(newEmail);

        var notice = await app.Mail.WaitForAsync(user.Email, which: m => m.Subject == "Your ChartCraft email address is being changed");
        notice.Subject.ShouldBe("Your ChartCraft email address is being changed");
        notice.TextBody.ShouldContain(newEmail);
        notice.TextBody.ShouldNotContain("token=");
        var confirm = await app.Mail.WaitForAsync(newEmail);
        confirm.Subject.ShouldBe("Confirm your new ChartCraft email address");
        var token = TestMailServer.TokenOf(confirm, MailAppFixture.AppUrl, "verify-email");

        // Until confirmed, the old address is the one to sign in with.
        (await Login(user.Email, user.Password)).ShouldBe(HttpStatusCode.OK);
        (await app.PostAsync("/api/auth/verify-email", new { token })).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        var me = await app.MeAsync(user);
        me["email"]!.GetValue<string>().ShouldBe(newEmail);
        me["email_verified"]!.GetValue<bool>().ShouldBeTrue();
        me["pending_email"].ShouldBeNull();
        (await Login(newEmail.ToLowerInvariant(), user.Password)).ShouldBe(HttpStatusCode.OK);
        (await Login(user.Email, user.Password)).ShouldBe(HttpStatusCode.Unauthorized);
        // The old address's verification link confirms an address the account has left.
        ((int)(await app.PostAsync("/api/auth/verify-email", new { token = firstToken })).StatusCode).ShouldBe(400);
    }

    [Fact]
    public async Task an_email_of_another_account_gets_409_and_nothing_is_stored_or_sent()
    {
        var user = await app.RegisterAsync();
        var other = await app.RegisterAsync();
        await app.Mail.WaitForAsync(user.Email);
        var response = await PatchAsync(user, new { email = other.Email.ToUpperInvariant(), first_name = "Changed" });
        ((int)response.StatusCode).ShouldBe(409);
        (await response.JsonAsync()).ShouldBeProblem(409)["title"]!.GetValue<string>().ShouldBe("Email already registered");
        var me = await app.MeAsync(user);
        me["pending_email"].ShouldBeNull();
        me["first_name"]!.GetValue<string>().ShouldBe("Test");
        await Task.Delay(500);
        app.Mail.To(user.Email).Count.ShouldBe(1); // the verification mail of register, no notice
    }

    [Fact]
    public async Task an_address_taken_by_a_registration_before_it_is_confirmed_gets_409_at_confirmation()
    {
        var user = await app.RegisterAsync();
        var wanted = $"wanted-{Guid.NewGuid():N}@example.com";
        (await PatchAsync(user, new { email = wanted })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = await app.VerificationTokenAsync(wanted);
        await app.RegisterAsync(wanted);

        var response = await app.PostAsync("/api/auth/verify-email", new { token });
        ((int)response.StatusCode).ShouldBe(409);
        (await app.MeAsync(user))["email"]!.GetValue<string>().ShouldBe(user.Email);
    }

    [Fact]
    public async Task asking_for_the_current_address_again_calls_a_pending_change_off()
    {
        var user = await app.RegisterAsync();
        var wanted = $"later-{Guid.NewGuid():N}@example.com";
        await PatchAsync(user, new { email = wanted });
        var token = await app.VerificationTokenAsync(wanted);
        var body = await (await PatchAsync(user, new { email = user.Email })).JsonAsync();
        body["pending_email"].ShouldBeNull();
        ((int)(await app.PostAsync("/api/auth/verify-email", new { token })).StatusCode).ShouldBe(400);
        (await app.MeAsync(user))["email"]!.GetValue<string>().ShouldBe(user.Email);
    }

    async Task<HttpStatusCode> Login(string email, string password) =>
        (await app.PostAsync("/api/auth/login", new { email, password })).StatusCode;
}
