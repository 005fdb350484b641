using ChartCraft.Infrastructure.Mail;

namespace ChartCraft.Features.Auth;

/// <summary>
/// Send a link confirming <paramref name="Address"/>: the account's own address (after register, or asked again), or
/// the pending one of an email change. Queued through the outbox; carries no token, see <see cref="AccountMailHandler"/>.
/// </summary>
public sealed record SendVerificationMail(Guid UserId, string Address) : IMailMessage;

/// <summary>Send a password-reset link to the account with this (canonical) address, if there is one.</summary>
public sealed record SendPasswordResetMail(string NormalizedEmail) : IMailMessage;

/// <summary>
/// The token is made when the mail is sent, not when it is asked for: the queued message then holds no secret (only the
/// hash is ever stored), and a mail delayed by a mail-server outage still arrives with a link that works for its full
/// lifetime. Retried on the shared mail schedule (<see cref="MailRetryPolicy"/>).
/// </summary>
public static class AccountMailHandler
{
    public static async Task Handle(SendVerificationMail message, IDocumentStore store, IMailSender sender, MailSettings mail,
        TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var user = await session.LoadAsync<User>(message.UserId, ct);
        if (user is not { IsActive: true }) return;
        var key = EmailCanonicalization.KeyOf(message.Address);
        var emailChange = user.PendingEmail is { } pending && EmailCanonicalization.KeyOf(pending) == key;
        // Verified meanwhile, or the address changed again since: there is nothing left to confirm.
        if (!emailChange && (user.NormalizedEmail != key || user.EmailVerifiedAt is not null)) return;

        var (token, stored) = AccountTokens.Create(user.Id, AccountToken.VerifyEmail, message.Address, clock.GetUtcNow());
        await SendWithTokenAsync(session, stored, sender,
            AccountMails.Verification(user, message.Address, $"{mail.AppUrl}/verify-email?token={token}", emailChange), ct);
    }

    public static async Task Handle(SendPasswordResetMail message, IDocumentStore store, IMailSender sender, MailSettings mail,
        TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var user = await session.Query<User>().FirstOrDefaultAsync(u => u.NormalizedEmail == message.NormalizedEmail, ct);
        if (user is not { IsActive: true }) return; // unknown address: nothing to send, and the caller was told nothing either

        var (token, stored) = AccountTokens.Create(user.Id, AccountToken.ResetPassword, user.Email, clock.GetUtcNow());
        await SendWithTokenAsync(session, stored, sender, AccountMails.PasswordReset(user, $"{mail.AppUrl}/reset-password?token={token}"), ct);
    }

    /// <summary>Stored before sending, so a link never arrives ahead of its token; removed again when the mail did not go out.</summary>
    static async Task SendWithTokenAsync(IDocumentSession session, AccountToken stored, IMailSender sender, OutgoingMail outgoing,
        CancellationToken ct)
    {
        session.Store(stored);
        await session.SaveChangesAsync(ct);
        try
        {
            await sender.SendAsync(outgoing, ct);
        }
        catch
        {
            // The retry makes a token of its own: this one was never seen by anyone.
            session.Delete(stored);
            await session.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }
}
