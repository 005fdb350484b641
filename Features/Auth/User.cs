namespace ChartCraft.Features.Auth;

/// <summary>A ChartCraft account. Email is unique ignoring case (enforced by a unique index on NormalizedEmail).</summary>
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
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}

/// <summary>What the API shows of a user; never the password hash.</summary>
public sealed record UserResponse(Guid Id, string Email, string FirstName, string LastName, string SubscriptionTier,
    bool IsActive, DateTimeOffset CreatedAt)
{
    public static UserResponse From(User user) =>
        new(user.Id, user.Email, user.FirstName, user.LastName, user.SubscriptionTier, user.IsActive, user.CreatedAt);
}

/// <summary>An access/refresh token pair as returned by login, register and refresh.</summary>
public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);
