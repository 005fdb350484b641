using Wolverine.Marten;

namespace ChartCraft.Features.Auth;

public sealed record VerifyEmailRequest(string Token)
{
    public override string ToString() => "VerifyEmailRequest { Token = *** }";
}

public sealed class VerifyEmailValidator : Validator<VerifyEmailRequest>
{
    public VerifyEmailValidator() => RuleFor(x => x.Token).NotEmpty().MaximumLength(200);
}

/// <summary>
/// Confirms an address with the token of a verification mail: the account's own address (it becomes verified), or the
/// new address of an email change (it becomes the account's email, verified). No sign-in needed: the link may be opened
/// on another device. 400 for an unknown, expired or spent token, or one for an address the account has left since;
/// 409 when another account took the new address meanwhile.
/// </summary>
public sealed class VerifyEmailEndpoint(IDocumentStore store, TimeProvider clock) : Endpoint<VerifyEmailRequest>
{
    public override void Configure()
    {
        Post("/auth/verify-email");
        AllowAnonymous();
        Description(d => d.WithTags("Auth").Accepts<VerifyEmailRequest>("application/json").Produces(204).ProducesProblems(400, 409, 422),
            clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Confirm an email address with the token from the mail";
            s.Responses[400] = "Unknown, expired or spent token";
            s.Responses[409] = "The new address was registered by another account meanwhile";
        });
    }

    public override async Task HandleAsync(VerifyEmailRequest req, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession();
        var token = await AccountTokens.FindUsableAsync(session, req.Token, AccountToken.VerifyEmail, now, ct) ?? throw AccountTokens.Invalid();
        var user = await session.LoadAsync<User>(token.UserId, ct);
        if (user is not { IsActive: true }) throw AccountTokens.Invalid();

        var address = EmailCanonicalization.Canonicalize(token.Email).Address!;
        if (address.Key == user.NormalizedEmail) user.EmailVerifiedAt ??= now;
        else if (user.PendingEmail is { } pending && EmailCanonicalization.KeyOf(pending) == address.Key)
        {
            // The unique index is the real guard (two accounts racing for it); this check just avoids the failed update.
            if (await session.Query<User>().AnyAsync(u => u.NormalizedEmail == address.Key && u.Id != user.Id, ct)) throw RegisterEndpoint.EmailTaken();
            (user.Email, user.NormalizedEmail, user.PendingEmail, user.EmailVerifiedAt) = (address.Display, address.Key, null, now);
        }
        else throw AccountTokens.Invalid(); // the account has moved to another address since this mail
        user.UpdatedAt = now;
        token.UsedAt = now;
        session.Update(token);
        session.Store(user);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (Concurrency.IsConflict(ex))
        {
            throw AccountTokens.Invalid(); // spent by a request a moment ago
        }
        catch (Exception ex) when (RegisterEndpoint.IsUniqueViolation(ex))
        {
            throw RegisterEndpoint.EmailTaken();
        }
        await Send.NoContentAsync(ct);
    }
}

/// <summary>
/// Sends the signed-in user a new verification link: for the pending new address when there is one, else for the
/// account's address. 409 when there is nothing to confirm; counted against the account-mail limits.
/// </summary>
public sealed class ResendVerificationEndpoint(IDocumentStore store, IMartenOutbox outbox, AccountMailLimits limits) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Post("/auth/verify-email/resend");
        Description(d => d.WithTags("Auth").Produces(202).ProducesProblems(401, 409, 429), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Send a new verification link (to the pending address of an email change, if any)";
            s.Responses[409] = "The address is verified and no change is pending";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.OpenOutboxSession(outbox);
        var user = await session.LoadAsync<User>(User.UserId(), ct);
        if (user is not { IsActive: true }) throw new ProblemException(401, "Unauthorized", "The account is not active.");
        var address = user.PendingEmail ?? (user.EmailVerifiedAt is null ? user.Email : null)
                      ?? throw new ProblemException(409, "Already verified", "The email address is verified and no change is pending.");
        await limits.CountAsync(HttpContext, EmailCanonicalization.KeyOf(address) ?? user.NormalizedEmail, ct);
        await outbox.PublishAsync(new SendVerificationMail(user.Id, address));
        await session.SaveChangesAsync(ct);
        await Send.ResultAsync(Results.StatusCode(202));
    }
}
