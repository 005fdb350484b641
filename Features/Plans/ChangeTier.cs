using ChartCraft.Features.Auth;

namespace ChartCraft.Features.Plans;

public sealed record ChangeTierRequest(string Tier);

public sealed class ChangeTierValidator : Validator<ChangeTierRequest>
{
    public ChangeTierValidator()
    {
        RuleFor(x => x.Tier).Cascade(CascadeMode.Stop).NotEmpty().Must(Tiers.IsKnown)
            .WithMessage($"must be one of: {string.Join(", ", Tiers.All)}");
    }
}

/// <summary>
/// PUT /api/admin/users/{id}/tier: an admin (the <c>admin</c> role, granted by ADMIN_EMAILS) sets a user's tier. There is
/// no billing; the new limits apply to the user's next request, since every check reads the tier afresh.
/// </summary>
public sealed class ChangeTierEndpoint(IDocumentStore store, TimeProvider clock) : Endpoint<ChangeTierRequest, UserResponse>
{
    public override void Configure()
    {
        Put("/admin/users/{user_id:guid}/tier");
        Roles(AdminRole.Name);
        Description(d => d.WithTags("Admin").Accepts<ChangeTierRequest>("application/json")
            .Produces<UserResponse>(200).ProducesProblems(400, 401, 403, 404, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Change a user's subscription tier (admins only)";
            s.Responses[403] = "The caller is not an admin";
            s.Responses[404] = "No such user";
            s.Responses[422] = "Unknown tier";
        });
    }

    public override async Task HandleAsync(ChangeTierRequest req, CancellationToken ct)
    {
        var userId = Route<Guid>("user_id");
        await using var session = store.LightweightSession();
        var user = await session.LoadAsync<User>(userId, ct)
                   ?? throw new ProblemException(404, "User not found", $"No user with id {userId}.");
        if (user.SubscriptionTier != req.Tier)
        {
            user.SubscriptionTier = req.Tier;
            user.UpdatedAt = clock.GetUtcNow();
            session.Update(user);
            await session.SaveChangesAsync(ct);
        }
        await Send.OkAsync(UserResponse.From(user), ct);
    }
}
