using JasperFx;
using Npgsql;
using Wolverine.Marten;

namespace ChartCraft.Features.Auth;

public sealed record RegisterRequest(string Email, string Password, string FirstName, string LastName);

public sealed record RegisterResponse(UserResponse User, string AccessToken, string RefreshToken, string TokenType, int ExpiresIn);

public sealed class RegisterValidator : Validator<RegisterRequest>
{
    public RegisterValidator()
    {
        RuleFor(x => x.Email).MustBeACanonicalEmail();
        RuleFor(x => x.Password).MustBeAValidPassword();
        RuleFor(x => x.FirstName).NotEmpty().MaximumLength(100);
        RuleFor(x => x.LastName).NotEmpty().MaximumLength(100);
    }
}

public static class PasswordRules
{
    /// <summary>The one password rule, for register, reset and change alike: 8 to 128 characters.</summary>
    public static IRuleBuilderOptions<T, string> MustBeAValidPassword<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.NotEmpty().Length(8, 128).WithMessage("must be 8 to 128 characters");
}

/// <summary>Creates an account and signs it in; the audit message and the verification mail go through the outbox.</summary>
public sealed class RegisterEndpoint(IDocumentStore store, IMartenOutbox outbox, TokenService tokens, PasswordHasher passwords,
    TimeProvider clock)
    : Endpoint<RegisterRequest, RegisterResponse>
{
    public override void Configure()
    {
        Post("/auth/register");
        AllowAnonymous();
        Description(d => d.WithTags("Auth").Accepts<RegisterRequest>("application/json").Produces<RegisterResponse>(201).ProducesProblems(400, 409, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Create an account";
            s.ExampleRequest = new RegisterRequest("ada@example.com", "correct horse battery", "Ada", "Lovelace");
            s.Responses[409] = "Email already registered";
            s.Responses[422] = "Invalid fields";
        });
    }

    public override async Task HandleAsync(RegisterRequest req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var email = EmailCanonicalization.Canonicalize(req.Email).Address!; // the validator refused what has no canonical form
        var user = new ChartCraft.Features.Auth.User
        {
            Id = Guid.CreateVersion7(),
            Email = email.Display,
            NormalizedEmail = email.Key,
            PasswordHash = await passwords.HashAsync(req.Password, ct),
            FirstName = req.FirstName.Trim(),
            LastName = req.LastName.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var (refresh, stored) = tokens.CreateRefreshToken(user.Id, familyId: Guid.NewGuid());

        await using var session = store.OpenOutboxSession(outbox);
        // The unique index is the real guard (two racing registrations); this check just avoids the failed insert.
        if (await session.Query<ChartCraft.Features.Auth.User>().AnyAsync(u => u.NormalizedEmail == user.NormalizedEmail, ct))
            throw EmailTaken();
        session.Insert(user);
        session.Store(stored);
        await outbox.PublishAsync(new UserRegistered(user.Id, user.Email, now));
        await outbox.PublishAsync(new SendVerificationMail(user.Id, user.Email));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (IsUniqueViolation(ex))
        {
            throw EmailTaken();
        }

        var pair = tokens.Pair(user, refresh, stored);
        await Send.ResponseAsync(new RegisterResponse(UserResponse.From(user), pair.AccessToken, pair.RefreshToken,
            pair.TokenType, pair.ExpiresIn), 201, ct);
    }

    internal static ProblemException EmailTaken() =>
        new(409, "Email already registered", "An account with this email already exists.");

    internal static bool IsUniqueViolation(Exception ex) => ex switch
    {
        DocumentAlreadyExistsException => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        _ => ex.InnerException is not null && IsUniqueViolation(ex.InnerException),
    };
}
