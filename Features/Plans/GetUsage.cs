namespace ChartCraft.Features.Plans;

/// <summary>
/// GET /api/account/usage: the caller's tier and, for every limit, what is used and what is allowed; daily limits also
/// say when they start again (the next UTC midnight). Sizes are MiB with two decimals; file_size_mb's "used" is the
/// largest file the user keeps.
/// </summary>
public sealed class GetUsageEndpoint(PlanEnforcement plans) : EndpointWithoutRequest<PlanUsage>
{
    public override void Configure()
    {
        Get("/account/usage");
        Description(d => d.WithTags("Account").Produces<PlanUsage>(200).ProducesProblems(401), clearDefaults: true);
        Summary(s => s.Summary = "The plan's limits and what the caller has used of each");
    }

    public override async Task HandleAsync(CancellationToken ct) => await Send.OkAsync(await plans.UsageAsync(User.UserId(), ct), ct);
}
