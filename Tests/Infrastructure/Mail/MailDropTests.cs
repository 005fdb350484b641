using ChartCraft.Infrastructure.Mail;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ChartCraft.Tests.Infrastructure.Mail;

/// <summary>Without SMTP_URL (./run.sh), each mail is an .eml file in MAIL_DROP_PATH, and its link works.</summary>
[Collection(ApiCollection.Name)]
public sealed class MailDropTests(AppFixture app)
{
    [Fact]
    public async Task without_smtp_the_verification_mail_is_an_eml_file_whose_link_verifies_the_account()
    {
        app.Host.Services.GetRequiredService<IMailSender>().ShouldBeOfType<DropFolderMailSender>();
        var user = await app.RegisterAsync();
        var mail = await WaitForDroppedAsync(user.Email);
        mail.Subject.ShouldBe("Verify your ChartCraft email address");
        mail.From.Mailboxes.Single().Address.ShouldBe("no-reply@localhost");
        // No APP_URL or FRONTEND_URL in this fixture: links open PUBLIC_BASE_URL.
        var token = TestMailServer.TokenOf(mail, "http://localhost", "verify-email");

        var response = await app.Client().PostAsync("/api/auth/verify-email", System.Net.Http.Json.JsonContent.Create(new { token }));
        ((int)response.StatusCode).ShouldBe(204);
        (await (await app.Client(user.AccessToken).GetAsync("/api/auth/me")).JsonAsync())["email_verified"]!.GetValue<bool>().ShouldBeTrue();
    }

    async Task<MimeMessage> WaitForDroppedAsync(string address)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Directory.Exists(app.MailDropPath))
                foreach (var file in Directory.EnumerateFiles(app.MailDropPath, "*.eml"))
                {
                    var mail = await MimeMessage.LoadAsync(file);
                    if (mail.To.Mailboxes.Any(m => m.Address == address)) return mail;
                }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no .eml for {address} in {app.MailDropPath}");
    }
}
