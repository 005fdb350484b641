using System.Net;
using ChartCraft.Infrastructure.Mail;

namespace ChartCraft.Features.Auth;

/// <summary>
/// What ChartCraft's account mails say, as plain text and HTML. Every user string (a name, an address) is HTML-encoded
/// in the HTML part; links open the frontend (APP_URL), which calls the API with the token.
/// </summary>
public static class AccountMails
{
    public static OutgoingMail Verification(User user, string address, string link, bool emailChange)
    {
        var (subject, intro) = emailChange
            ? ("Confirm your new ChartCraft email address", $"You asked to use {address} for your ChartCraft account. Confirm it to make the change:")
            : ("Verify your ChartCraft email address", "Welcome to ChartCraft! Confirm your email address to finish setting up your account:");
        var outro = $"The link works for {AccountTokens.VerifyLifetime.TotalHours:0} hours. If you did not ask for this, ignore this mail.";
        return Write(user, address, subject, [intro], link, emailChange ? "Confirm new address" : "Verify email address", outro);
    }

    public static OutgoingMail PasswordReset(User user, string link) =>
        Write(user, user.Email, "Reset your ChartCraft password",
            ["Someone (hopefully you) asked to reset the password of your ChartCraft account. Choose a new password here:"],
            link, "Reset password",
            $"The link works for {AccountTokens.ResetLifetime.TotalMinutes:0} minutes and only once. If you did not ask for this, ignore this mail: your password stays as it is.");

    /// <summary>To the old address, so an owner whose session was taken over hears of it while the old address still counts.</summary>
    public static OutgoingMail EmailChangeRequested(User user, string newAddress) =>
        Write(user, user.Email, "Your ChartCraft email address is being changed",
            [$"Someone signed in to your ChartCraft account asked to change its email address to {newAddress}.",
             "The change takes effect only once it is confirmed from that address. If this was not you, change your password now."],
            link: null, button: null, outro: "This address stays the account's until then.");

    static OutgoingMail Write(User user, string to, string subject, string[] paragraphs, string? link, string? button, string outro)
    {
        var name = $"{user.FirstName} {user.LastName}".Trim();
        var greeting = name.Length > 0 ? $"Hello {name}," : "Hello,";
        var text = string.Join("\n\n", [greeting, .. paragraphs, .. link is null ? Array.Empty<string>() : [link], outro, "— ChartCraft"]) + "\n";

        var html = new System.Text.StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif;line-height:1.5\">");
        html.Append("<p>").Append(Encode(greeting)).Append("</p>");
        foreach (var paragraph in paragraphs) html.Append("<p>").Append(Encode(paragraph)).Append("</p>");
        if (link is not null)
            html.Append("<p><a href=\"").Append(Encode(link)).Append("\">").Append(Encode(button!)).Append("</a></p>")
                .Append("<p style=\"font-size:small\">Or open this address: ").Append(Encode(link)).Append("</p>");
        html.Append("<p>").Append(Encode(outro)).Append("</p><p>— ChartCraft</p></body></html>");
        return new OutgoingMail(to, name.Length > 0 ? name : null, subject, text, html.ToString());
    }

    static string Encode(string value) => WebUtility.HtmlEncode(value);
}
