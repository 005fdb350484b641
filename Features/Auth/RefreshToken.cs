namespace ChartCraft.Features.Auth;

/// <summary>
/// A stored refresh token. Only the SHA-256 of the token is kept (the id), so a database leak gives no
/// usable tokens. Tokens of one login share a family: rotation links them, and replaying a rotated one
/// revokes the whole family (a stolen token is then useless to thief and owner alike, forcing a new login).
/// </summary>
public sealed class RefreshToken
{
    /// <summary>Hex SHA-256 of the token string.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
    public Guid FamilyId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>rotated, logout, reuse_detected.</summary>
    public string? RevokedReason { get; set; }
    public string? ReplacedBy { get; set; }
}
