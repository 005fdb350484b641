using System.Buffers.Text;
using System.Security.Cryptography;

namespace ChartCraft.Features.Auth;

/// <summary>
/// A single-use token sent by mail: confirming an address (<see cref="VerifyEmail"/>) or setting a new password
/// (<see cref="ResetPassword"/>). Like refresh tokens, only the SHA-256 of the token is kept (the id): a database
/// leak gives no usable links. Versioned, so two requests spending one token at once cannot both succeed.
/// </summary>
public sealed class AccountToken : IOwnedDocument
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";

    /// <summary>Hex SHA-256 of the token string.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
    /// <summary><see cref="VerifyEmail"/> or <see cref="ResetPassword"/>.</summary>
    public string Purpose { get; set; } = "";
    /// <summary>The address the mail went to: what a verification confirms, and which address a reset proves.</summary>
    public string Email { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}

public static class AccountTokens
{
    /// <summary>A reset link is a password: it works for an hour.</summary>
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromHours(1);
    /// <summary>Confirming an address is less sensitive, and people open such mail later; a day, then a new link is one click away.</summary>
    public static readonly TimeSpan VerifyLifetime = TimeSpan.FromHours(24);

    /// <summary>A new token: the plain value for the mail's link, the hashed document to store.</summary>
    public static (string Token, AccountToken Stored) Create(Guid userId, string purpose, string email, DateTimeOffset now)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, new AccountToken
        {
            Id = TokenService.Hash(token),
            UserId = userId,
            Purpose = purpose,
            Email = email,
            CreatedAt = now,
            ExpiresAt = now + (purpose == AccountToken.ResetPassword ? ResetLifetime : VerifyLifetime),
        });
    }

    /// <summary>The stored token for <paramref name="token"/> when it has this purpose and is neither spent nor expired.</summary>
    public static async Task<AccountToken?> FindUsableAsync(IDocumentSession session, string token, string purpose, DateTimeOffset now,
        CancellationToken ct)
    {
        var stored = await session.LoadAsync<AccountToken>(TokenService.Hash(token), ct);
        return stored is { UsedAt: null } && stored.Purpose == purpose && stored.ExpiresAt > now ? stored : null;
    }

    /// <summary>400, the same for a token that never existed, expired or was spent: the link is simply no good.</summary>
    public static ProblemException Invalid() =>
        new(400, "Invalid or expired token", "This link is not valid any more; ask for a new one.");
}
