namespace ChartCraft.Features.Auth;

/// <summary>
/// A ChartCraft account. <see cref="Email"/> is the address in its canonical display form (NFKC, typed case kept);
/// <see cref="NormalizedEmail"/> is its unique key (<see cref="EmailCanonicalization"/>, enforced by a unique index).
/// </summary>
public sealed class User
{
    public Guid Id { get; set; }
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string SubscriptionTier { get; set; } = "free";
    public bool IsActive { get; set; } = true;
    /// <summary>
    /// Access tokens carry the generation they were issued in (<c>gen</c>); raising it ends every token issued
    /// before, on every instance (<see cref="SessionRevocations"/>). A password change raises it.
    /// </summary>
    public int TokenGeneration { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>
    /// When the owner proved <see cref="Email"/> is theirs (the link of a verification or password-reset mail). Null for
    /// accounts made before verification existed, too: nobody proved those addresses either, and
    /// POST /api/auth/verify-email/resend sends them a link.
    /// </summary>
    public DateTimeOffset? EmailVerifiedAt { get; set; }
    /// <summary>An address asked for by PATCH /api/auth/me; it replaces <see cref="Email"/> once confirmed from the mail sent to it.</summary>
    public string? PendingEmail { get; set; }
}

/// <summary>What the API shows of a user; never the password hash.</summary>
public sealed record UserResponse(Guid Id, string Email, string FirstName, string LastName, string SubscriptionTier,
    bool IsActive, DateTimeOffset CreatedAt, bool EmailVerified = false, string? PendingEmail = null)
{
    public static UserResponse From(User user) =>
        new(user.Id, user.Email, user.FirstName, user.LastName, user.SubscriptionTier, user.IsActive, user.CreatedAt,
            user.EmailVerifiedAt is not null, user.PendingEmail);
}

/// <summary>An access/refresh token pair as returned by login, register and refresh.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);
