using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Security;
using FastEndpoints;
using FluentValidation;
using Marten;

namespace ChartCraft.Features.Auth;

public sealed record LogoutRequest(string RefreshToken);

public sealed class LogoutValidator : Validator<LogoutRequest>
{
    public LogoutValidator() => RuleFor(x => x.RefreshToken).NotEmpty().MaximumLength(200);
}

/// <summary>Revokes the caller's refresh token. Idempotent: an unknown or someone else's token changes nothing.</summary>
public sealed class LogoutEndpoint(TimeProvider clock) : Endpoint<LogoutRequest>
{
    public override void Configure()
    {
        Post("/auth/logout");
        Description(d => d.WithTags("Auth").Accepts<LogoutRequest>("application/json").Produces(204).ProducesProblems(400, 401, 422), clearDefaults: true);
        Summary(s => s.Summary = "Revoke a refresh token");
    }

    public override async Task HandleAsync(LogoutRequest req, CancellationToken ct)
    {
        await using var session = Resolve<IDocumentStore>().LightweightSession();
        var token = await session.LoadAsync<RefreshToken>(TokenService.Hash(req.RefreshToken), ct);
        if (token is not null && token.UserId == User.UserId() && token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            token.RevokedReason = "logout";
            session.Update(token);
            await session.SaveChangesAsync(ct);
        }
        await Send.NoContentAsync(ct);
    }
}
