namespace ChartCraft.Features.Auth.Verification;

/// <summary>What other features may ask about an account's email (README "Public cross-feature APIs").</summary>
public static class EmailVerification
{
    /// <summary>
    /// 403 unless the user has confirmed their address: for what sends mail or acts in their name elsewhere (connecting
    /// a newsletter platform). The detail says what to do.
    /// </summary>
    public static async Task RequireVerifiedAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        var user = await session.LoadAsync<User>(userId, ct);
        if (user?.EmailVerifiedAt is null)
            throw new ProblemException(403, "Email not verified",
                "Verify your email address first: open the link in the mail we sent you (POST /api/auth/verify-email/resend sends a new one).");
    }
}
