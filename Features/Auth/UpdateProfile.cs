using ChartCraft.Infrastructure.Mail;
using Wolverine.Marten;

namespace ChartCraft.Features.Auth;

/// <summary>Only the fields present change.</summary>
public sealed record UpdateProfileRequest(string? FirstName, string? LastName, string? Email);

public sealed class UpdateProfileValidator : Validator<UpdateProfileRequest>
{
    public UpdateProfileValidator()
    {
        RuleFor(x => x.FirstName).NotEmpty().MaximumLength(100).When(x => x.FirstName is not null);
        RuleFor(x => x.LastName).NotEmpty().MaximumLength(100).When(x => x.LastName is not null);
        When(x => x.Email is not null, () => RuleFor(x => x.Email!).MustBeACanonicalEmail());
    }
}

/// <summary>
/// Changes the signed-in user's name and email. A new email does not replace the old one yet: it becomes
/// <c>pending_email</c>, a confirmation link goes to it and a notice to the old address; POST /api/auth/verify-email with
/// that link's token makes the change. 409 when another account has the address.
/// </summary>
public sealed class UpdateProfileEndpoint(IDocumentStore store, IMartenOutbox outbox, AccountMailLimits limits, TimeProvider clock)
    : Endpoint<UpdateProfileRequest, UserResponse>
{
    public override void Configure()
    {
        Patch("/auth/me");
        Description(d => d.WithTags("Auth").Accepts<UpdateProfileRequest>("application/json").Produces<UserResponse>(200)
            .ProducesProblems(400, 401, 409, 422, 429), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Change name or email (a new email takes effect once confirmed from the mail sent to it)";
            s.ExampleRequest = new UpdateProfileRequest("Ada", "King", "ada.king@example.com");
            s.Responses[409] = "Another account has this email";
        });
    }

    public override async Task HandleAsync(UpdateProfileRequest req, CancellationToken ct)
    {
        await using var session = store.OpenOutboxSession(outbox);
        var user = await session.LoadAsync<User>(User.UserId(), ct);
        if (user is not { IsActive: true }) throw new ProblemException(401, "Unauthorized", "The account is not active.");
        if (req.FirstName is not null) user.FirstName = req.FirstName.Trim();
        if (req.LastName is not null) user.LastName = req.LastName.Trim();
        if (req.Email is not null) await AskForEmailAsync(session, user, EmailCanonicalization.Canonicalize(req.Email).Address!, ct);
        user.UpdatedAt = clock.GetUtcNow();
        session.Store(user);
        await session.SaveChangesAsync(ct);
        await Send.OkAsync(UserResponse.From(user), ct);
    }

    async Task AskForEmailAsync(IDocumentSession session, User user, EmailCanonicalization.Canonical address, CancellationToken ct)
    {
        if (address.Key == user.NormalizedEmail)
        {
            user.PendingEmail = null; // back to the address it has: the change is called off
            return;
        }
        if (user.PendingEmail is { } pending && EmailCanonicalization.KeyOf(pending) == address.Key) return; // asked already (resend sends again)
        if (await session.Query<User>().AnyAsync(u => u.NormalizedEmail == address.Key, ct)) throw RegisterEndpoint.EmailTaken();
        await limits.CountAsync(HttpContext, address.Key, ct);
        await outbox.PublishAsync(new SendEmail(AccountMails.EmailChangeRequested(user, address.Display)));
        user.PendingEmail = address.Display;
        await outbox.PublishAsync(new SendVerificationMail(user.Id, address.Display));
    }
}
