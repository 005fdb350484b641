using ChartCraft.Features.Auth;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Mail;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;

namespace ChartCraft.Tests.Infrastructure.Mail;

public sealed class MailSettingsTests
{
    static MailSettings Load(Dictionary<string, string?> values) =>
        MailSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    static InvalidConfigurationException Invalid(Dictionary<string, string?> values) =>
        Should.Throw<InvalidConfigurationException>(() => Load(values));

    [Theory]
    [InlineData("smtp://mail.example.com", "mail.example.com", 587, SecureSocketOptions.StartTlsWhenAvailable, null, null)]
    [InlineData("smtp://u:pw-secret@mail.example.com:2525?tls=required", "mail.example.com", 2525, SecureSocketOptions.StartTls, "u", "pw-secret")]
    [InlineData("smtps://apikey:s%40cr%3At@smtp.example.com", "smtp.example.com", 465, SecureSocketOptions.SslOnConnect, "apikey", "s@cr:t")]
    [InlineData("smtp://user@host.local:25", "host.local", 25, SecureSocketOptions.StartTlsWhenAvailable, "user", "")]
    public void smtp_url_names_host_port_tls_and_unescaped_credentials(string url, string host, int port, SecureSocketOptions security,
        string? user, string? password)
    {
        var smtp = MailSettings.ParseSmtpUrl(url);
        (smtp.Host, smtp.Port, smtp.Security, smtp.UserName, smtp.Password).ShouldBe((host, port, security, user, password));
        smtp.ToString().ShouldNotContain(password is { Length: > 0 } ? password : "\0"); // safe to log
    }

    [Theory]
    [InlineData("http://u:hunter22@mail.example.com")]
    [InlineData("mail.example.com:587")]
    [InlineData("smtp://u:hunter22@")]
    public void a_bad_smtp_url_stops_the_start_without_repeating_the_password(string url)
    {
        var error = Invalid(new() { ["SMTP_URL"] = url, ["MAIL_FROM"] = "a@b.example" });
        error.Variable.ShouldBe("SMTP_URL");
        error.Message.ShouldNotContain("hunter22");
    }

    [Fact]
    public void without_smtp_mail_goes_to_the_drop_folder_from_a_default_sender_and_links_open_the_frontend()
    {
        var settings = Load([]);
        settings.Smtp.ShouldBeNull();
        settings.DropPath.ShouldBe(Path.Combine(".data", "mail"));
        settings.From.Address.ShouldBe("no-reply@localhost");
        settings.AppUrl.ShouldBe("http://localhost:3000");
        settings.RetryDelays.Select(d => d.TotalSeconds).ShouldBe([10, 60, 300, 900, 3600]);
    }

    [Theory]
    [InlineData("https://app.example.com/", "https://front.example.com", "https://api.example.com", "https://app.example.com")]
    [InlineData(null, "https://front.example.com/", "https://api.example.com", "https://front.example.com")]
    [InlineData(null, null, "https://api.example.com", "https://api.example.com")]
    public void app_url_falls_back_to_the_frontend_then_the_public_base_url(string? appUrl, string? frontend, string? publicBase, string expected) =>
        Load(new() { ["APP_URL"] = appUrl, ["FRONTEND_URL"] = frontend, ["PUBLIC_BASE_URL"] = publicBase }).AppUrl.ShouldBe(expected);

    [Fact]
    public void with_smtp_the_sender_must_be_named_and_valid()
    {
        Invalid(new() { ["SMTP_URL"] = "smtp://mail.example.com" }).Variable.ShouldBe("MAIL_FROM");
        Invalid(new() { ["MAIL_FROM"] = "not an address" }).Variable.ShouldBe("MAIL_FROM");
        var settings = Load(new() { ["SMTP_URL"] = "smtp://mail.example.com", ["MAIL_FROM"] = "ChartCraft <hello@example.com>" });
        (settings.From.Name, settings.From.Address).ShouldBe(("ChartCraft", "hello@example.com"));
    }

    [Theory]
    [InlineData("APP_URL", "ftp://app.example.com")]
    [InlineData("MAIL_RETRY_DELAYS_SECONDS", "5,soon")]
    [InlineData("MAIL_RETRY_DELAYS_SECONDS", "0")]
    public void bad_values_name_their_variable(string key, string value) => Invalid(new() { [key] = value }).Variable.ShouldBe(key);

    [Fact]
    public void only_a_permanent_refusal_of_the_recipient_or_message_ends_the_retries()
    {
        MailRetryPolicy.IsPermanent(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "no such user"))
            .ShouldBeTrue();
        MailRetryPolicy.IsPermanent(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.TransactionFailed, "spam"))
            .ShouldBeTrue();
        // A full mailbox (452) passes; so do a refused sender (MAIL_FROM is fixed by the operator) and a server that is away.
        MailRetryPolicy.IsPermanent(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.InsufficientStorage, "full"))
            .ShouldBeFalse();
        MailRetryPolicy.IsPermanent(new SmtpCommandException(SmtpErrorCode.SenderNotAccepted, SmtpStatusCode.MailboxUnavailable, "who?"))
            .ShouldBeFalse();
        MailRetryPolicy.IsPermanent(new System.Net.Sockets.SocketException(111)).ShouldBeFalse();
        MailRetryPolicy.IsPermanent(new AuthenticationException("bad login")).ShouldBeFalse();
    }

    [Fact]
    public void account_mail_limits_default_to_5_per_address_and_20_per_client_an_hour()
    {
        var limits = AccountMailLimitSettings.Load(new ConfigurationBuilder().Build());
        (limits.PerAddress, limits.PerClient).ShouldBe((5, 20));
        Should.Throw<InvalidConfigurationException>(() => AccountMailLimitSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AUTH_MAIL_LIMIT_PER_ADDRESS"] = "0" }).Build()));
    }
}
