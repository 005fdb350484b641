namespace ChartCraft.Features.Auth;

/// <summary>
/// A stored refresh token. Only the SHA-256 of the token is kept (the id), so a database leak gives no
/// usable tokens. Tokens of one login share a family: rotation links them, and replaying a rotated one
/// revokes the whole family (a stolen token is then useless to thief and owner alike, forcing a new login).
/// </summary>
public sealed class RefreshToken : IOwnedDocument
{
    /// <summary>Spent by a refresh; the family lives on in its successor.</summary>
    public const string Rotated = "rotated";
    /// <summary>The family's session was ended by its owner.</summary>
    public const string Logout = "logout";
    /// <summary>A spent token came back: the family is ended.</summary>
    public const string ReuseDetected = "reuse_detected";
    /// <summary>The password was changed or reset: every other session of the account is ended.</summary>
    public const string PasswordChanged = "password_changed";

    /// <summary>Hex SHA-256 of the token string.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
    public Guid FamilyId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary><see cref="Rotated"/>, <see cref="Logout"/>, <see cref="ReuseDetected"/> or <see cref="PasswordChanged"/>.</summary>
    public string? RevokedReason { get; set; }
    public string? ReplacedBy { get; set; }

    /// <summary>
    /// Ends <paramref name="tokens"/> for <paramref name="reason"/>; the change commits with <paramref name="session"/>,
    /// whose optimistic concurrency check fails if a token was rotated meanwhile.
    /// </summary>
    public static void RevokeAll(IDocumentSession session, IEnumerable<RefreshToken> tokens, string reason, DateTimeOffset now)
    {
        foreach (var token in tokens)
        {
            token.RevokedAt = now;
            token.RevokedReason = reason;
            session.Update(token);
        }
    }
}
