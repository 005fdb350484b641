using MailKit.Net.Smtp;

namespace ChartCraft.Infrastructure.Mail;

/// <summary>Hands one mail to the mail server (or the drop folder); throws when it cannot, so the message is retried.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken ct);
}

/// <summary>MailKit over SMTP_URL: a connection per mail, which is few and keeps no connection to go stale.</summary>
public sealed class SmtpMailSender(MailSettings settings, ILogger<SmtpMailSender> logger) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var smtp = settings.Smtp!;
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, ct);
        if (smtp.UserName is not null) await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        await client.SendAsync(mail.ToMime(settings.From), ct);
        await client.DisconnectAsync(quit: true, ct);
        logger.LogInformation("Mail '{Subject}' sent through {Smtp}", mail.Subject, smtp);
    }
}

/// <summary>Without SMTP_URL (local runs): each mail becomes an .eml file in MAIL_DROP_PATH, which any mail program opens.</summary>
public sealed class DropFolderMailSender(MailSettings settings, ILogger<DropFolderMailSender> logger) : IMailSender
{
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var folder = Path.GetFullPath(settings.DropPath);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid():N}.eml");
        // Written aside and renamed, so whoever watches the folder never opens half a mail.
        await mail.ToMime(settings.From).WriteToAsync(path + ".part", ct);
        File.Move(path + ".part", path);
        logger.LogInformation("No SMTP_URL: mail '{Subject}' written to {Path}", mail.Subject, path);
    }
}
