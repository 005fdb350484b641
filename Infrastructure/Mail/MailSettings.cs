using System.Globalization;
using ChartCraft.Infrastructure.Configuration;
using MailKit.Security;
using MimeKit;

namespace ChartCraft.Infrastructure.Mail;

/// <summary>Where SMTP_URL points. <see cref="ToString"/> leaves the credentials out, so the record can be logged.</summary>
public sealed record SmtpEndpoint(string Host, int Port, SecureSocketOptions Security, string? UserName, string? Password)
{
    public override string ToString() => $"{Host}:{Port} ({Security})";
}

/// <summary>
/// Outgoing mail: SMTP_URL (none: each message is written as an .eml file to MAIL_DROP_PATH), MAIL_FROM, APP_URL (the
/// frontend that the links in mails open) and MAIL_RETRY_DELAYS_SECONDS (the waits between attempts while the mail
/// server is unreachable; the last one repeats until the mail is sent).
/// </summary>
public sealed record MailSettings(SmtpEndpoint? Smtp, MailboxAddress From, string DropPath, string AppUrl, IReadOnlyList<TimeSpan> RetryDelays)
{
    const string SmtpUrlShape = "expected smtp://[user:password@]host[:port][?tls=required] or smtps://[user:password@]host[:port]";

    public static MailSettings Load(IConfiguration config)
    {
        var smtp = SettingValues.Text(config, "SMTP_URL") is { } url ? ParseSmtpUrl(url) : null;
        var from = SettingValues.Text(config, "MAIL_FROM");
        // A real mail server refuses or junks a made-up sender: with SMTP the operator names one.
        if (from is null && smtp is not null)
            throw new InvalidConfigurationException("MAIL_FROM", "is required with SMTP_URL (e.g. \"ChartCraft <no-reply@example.com>\")");
        if (!MailboxAddress.TryParse(from ?? "ChartCraft <no-reply@localhost>", out var sender) || !sender.Address.Contains('@'))
            throw new InvalidConfigurationException("MAIL_FROM", $"'{from}' is not an address like \"ChartCraft <no-reply@example.com>\"");
        return new MailSettings(smtp, sender,
            SettingValues.Text(config, "MAIL_DROP_PATH") ?? Path.Combine(".data", "mail"),
            ReadAppUrl(config),
            ReadRetryDelays(config));
    }

    /// <summary>
    /// APP_URL; unset, the frontend's FRONTEND_URL when it is set, then PUBLIC_BASE_URL (a frontend served with the API),
    /// then FRONTEND_URL's default. The pages /verify-email and /reset-password live there.
    /// </summary>
    static string ReadAppUrl(IConfiguration config)
    {
        var key = new[] { "APP_URL", "FRONTEND_URL", "PUBLIC_BASE_URL" }.FirstOrDefault(k => SettingValues.Text(config, k) is not null);
        var value = key is null ? "http://localhost:3000" : SettingValues.Text(config, key)!;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidConfigurationException(key ?? "APP_URL", $"'{value}' is not an http(s) URL");
        return value.TrimEnd('/');
    }

    static List<TimeSpan> ReadRetryDelays(IConfiguration config) =>
        (SettingValues.Text(config, "MAIL_RETRY_DELAYS_SECONDS") ?? "10,60,300,900,3600")
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 86_400
            ? TimeSpan.FromSeconds(s)
            : throw new InvalidConfigurationException("MAIL_RETRY_DELAYS_SECONDS", $"'{d}' is not a number of seconds (0–86400]"))
        .ToList();

    /// <summary>
    /// smtp:// submits on 587 and upgrades to TLS when the server offers it (?tls=required refuses a server that does
    /// not); smtps:// speaks TLS from the start, on 465. The message never repeats the URL: it holds the password.
    /// </summary>
    public static SmtpEndpoint ParseSmtpUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("smtp" or "smtps") || uri.Host.Length == 0)
            throw new InvalidConfigurationException("SMTP_URL", SmtpUrlShape);
        var tlsRequired = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Any(p => p.Equals("tls=required", StringComparison.OrdinalIgnoreCase));
        var security = uri.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect
            : tlsRequired ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable;
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "smtps" ? 465 : 587) : uri.Port;
        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return new SmtpEndpoint(uri.Host, port, security, user, password);
    }
}
