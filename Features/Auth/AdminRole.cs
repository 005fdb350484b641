using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Features.Auth;

/// <summary>
/// Who is an admin: the accounts whose email is listed in ADMIN_EMAILS (comma-separated, compared as the unique email
/// key is). Access tokens of these accounts carry the claim <c>role: admin</c>, issued at registration, login and
/// refresh, so adding or removing an address takes effect with the account's next token.
/// </summary>
public sealed class AdminRole(IReadOnlySet<string> emailKeys)
{
    public const string Name = "admin";
    public const string Claim = "role";

    public static AdminRole Load(IConfiguration config)
    {
        var listed = (SettingValues.Text(config, "ADMIN_EMAILS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var email in listed)
            keys.Add(EmailCanonicalization.KeyOf(email) ?? throw new InvalidConfigurationException("ADMIN_EMAILS", $"'{email}' is not an email address"));
        return new AdminRole(keys);
    }

    public bool IsAdmin(User user) => emailKeys.Contains(user.NormalizedEmail);
}
