namespace ChartCraft.Features.Auth;

public sealed record LoginRequest(string Email, string Password);

public sealed class LoginValidator : Validator<LoginRequest>
{
    public LoginValidator()
    {
        // Refusing a malformed address says nothing about which accounts exist: it is a property of the text alone.
        RuleFor(x => x.Email).MustBeACanonicalEmail();
        RuleFor(x => x.Password).NotEmpty().MaximumLength(128);
    }
}

/// <summary>Exchanges email and password for a token pair. Unknown email and wrong password look the same.</summary>
public sealed class LoginEndpoint(IDocumentStore store, TokenService tokens, PasswordHasher passwords)
    : Endpoint<LoginRequest, TokenResponse>
{
    public const string InvalidCredentials = "Invalid email or password.";

    public override void Configure()
    {
        Post("/auth/login");
        AllowAnonymous();
        Description(d => d.WithTags("Auth").Accepts<LoginRequest>("application/json").Produces<TokenResponse>(200).ProducesProblems(400, 401, 403, 422),
            clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Sign in";
            s.ExampleRequest = new LoginRequest("ada@example.com", "correct horse battery");
            s.Responses[401] = "Invalid email or password";
            s.Responses[403] = "Account inactive";
        });
    }

    public override async Task HandleAsync(LoginRequest req, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var normalized = EmailCanonicalization.KeyOf(req.Email);
        var user = await session.Query<User>().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct);
        if (!await passwords.VerifyAsync(req.Password, user?.PasswordHash, ct))
            throw new ProblemException(401, "Unauthorized", InvalidCredentials);
        if (!user!.IsActive)
            throw new ProblemException(403, "Account inactive", "This account has been deactivated.");

        var (refresh, stored) = tokens.CreateRefreshToken(user.Id, familyId: Guid.NewGuid());
        session.Store(stored);
        await session.SaveChangesAsync(ct);
        await Send.OkAsync(tokens.Pair(user, refresh, stored), ct);
    }
}
