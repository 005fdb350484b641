using MimeKit;

namespace ChartCraft.Infrastructure.Mail;

/// <summary>
/// One mail as the app writes it: a plain-text and an HTML body of the same words. The HTML is built by its feature,
/// which encodes every user string in it.
/// </summary>
public sealed record OutgoingMail(string To, string? ToName, string Subject, string Text, string Html)
{
    public MimeMessage ToMime(MailboxAddress from)
    {
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(ToName ?? "", To));
        message.Subject = Subject;
        // RFC 3834: out-of-office replies and list servers leave machine-sent mail alone.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = Text, HtmlBody = Html }.ToMessageBody();
        return message;
    }
}

/// <summary>Implemented by every durable message whose handler sends mail: they share <see cref="MailRetryPolicy"/>.</summary>
public interface IMailMessage;

/// <summary>Sends a mail already written (a notice with no secret in it). Queued through the outbox, sent by <see cref="SendEmailHandler"/>.</summary>
public sealed record SendEmail(OutgoingMail Mail) : IMailMessage;

public static class SendEmailHandler
{
    public static Task Handle(SendEmail message, IMailSender sender, CancellationToken ct) => sender.SendAsync(message.Mail, ct);
}
