using Wolverine.Marten;

namespace ChartCraft.Features.Auth;

public sealed record ForgotPasswordRequest(string Email);

public sealed record ForgotPasswordResponse(string Detail);

public sealed class ForgotPasswordValidator : Validator<ForgotPasswordRequest>
{
    public ForgotPasswordValidator() => RuleFor(x => x.Email).MustBeACanonicalEmail();
}

/// <summary>
/// Asks for a password-reset mail. The answer is the same 202 whether the address has an account or not, and so is the
/// work: the request only counts the limits and queues the mail through the outbox; the lookup happens in the handler,
/// after the response, so neither body nor timing tells which addresses exist.
/// </summary>
public sealed class ForgotPasswordEndpoint(IDocumentStore store, IMartenOutbox outbox, AccountMailLimits limits)
    : Endpoint<ForgotPasswordRequest, ForgotPasswordResponse>
{
    public const string Answer = "If an account uses this address, a link to reset its password is on its way.";

    public override void Configure()
    {
        Post("/auth/password/forgot");
        AllowAnonymous();
        Description(d => d.WithTags("Auth").Accepts<ForgotPasswordRequest>("application/json").Produces<ForgotPasswordResponse>(202)
            .ProducesProblems(400, 422, 429), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Ask for a password-reset mail (202 whether or not the address has an account)";
            s.ExampleRequest = new ForgotPasswordRequest("ada@example.com");
            s.Responses[429] = "Too many reset mails asked for this address or by this client (AUTH_MAIL_LIMIT_PER_*)";
        });
    }

    public override async Task HandleAsync(ForgotPasswordRequest req, CancellationToken ct)
    {
        var key = EmailCanonicalization.KeyOf(req.Email)!; // the validator refused what has no canonical form
        await limits.CountAsync(HttpContext, key, ct);
        await using var session = store.OpenOutboxSession(outbox);
        await outbox.PublishAsync(new SendPasswordResetMail(key));
        await session.SaveChangesAsync(ct);
        await Send.ResponseAsync(new ForgotPasswordResponse(Answer), 202, ct);
    }
}
