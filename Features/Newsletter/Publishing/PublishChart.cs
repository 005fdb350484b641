using ChartCraft.Features.Charts;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Features.Plans;
using Wolverine.Marten;

namespace ChartCraft.Features.Newsletter.Publishing;

/// <summary>
/// Which chart goes to which provider. TargetId: a Mailchimp campaign id or a Kit broadcast id to add it to (absent:
/// a new draft). AltText defaults to the chart's title; LinkUrl (where a click on the image leads) to the chart's embed page.
/// </summary>
public sealed record PublishChartRequest(Guid ChartId, string Provider, string? TargetId, string? AltText, string? LinkUrl);

public sealed class PublishChartValidator : Validator<PublishChartRequest>
{
    public PublishChartValidator()
    {
        RuleFor(x => x.ChartId).NotEmpty();
        RuleFor(x => x.Provider).Cascade(CascadeMode.Stop).NotEmpty().Must(NewsletterProviders.IsKnown)
            .WithMessage($"must be one of: {string.Join(", ", NewsletterProviders.All)}");
        RuleFor(x => x.TargetId).MaximumLength(100).Matches("^[A-Za-z0-9_-]+$").When(x => !string.IsNullOrEmpty(x.TargetId));
        RuleFor(x => x.TargetId).Matches("^[1-9][0-9]{0,17}$").WithMessage("a Kit broadcast id is a number")
            .When(x => x.Provider == NewsletterProviders.ConvertKit && !string.IsNullOrEmpty(x.TargetId));
        RuleFor(x => x.AltText).MaximumLength(500);
        RuleFor(x => x.LinkUrl).MaximumLength(2000)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            .WithMessage("must be an absolute http(s) URL")
            .When(x => !string.IsNullOrEmpty(x.LinkUrl));
    }
}

/// <summary>
/// POST /api/newsletter/publish: queues putting a chart into a Mailchimp campaign or Kit broadcast (or a new
/// draft). The job document and its durable message commit together; follow it at GET /api/newsletter/publish/{id}.
/// </summary>
public sealed class PublishChartEndpoint(IDocumentStore store, IMartenOutbox outbox, PublicUrls urls, PlanEnforcement plans, TimeProvider clock)
    : Endpoint<PublishChartRequest, PublishAccepted>
{
    public override void Configure()
    {
        Post("/newsletter/publish");
        Description(d => d.WithTags("Newsletter platforms").Accepts<PublishChartRequest>("application/json")
            .Produces<PublishAccepted>(202).ProducesProblems(400, 401, 404, 422, 429), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Publish a chart (PNG + alt text + link to the interactive chart) into a newsletter";
            s.Responses[404] = "Chart not found";
            s.Responses[422] = "Invalid fields, or the provider is not connected";
            s.Responses[429] = "The plan's publishes_per_day are used up";
        });
    }

    public override async Task HandleAsync(PublishChartRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var chart = await session.LoadOwnedChartAsync(req.ChartId, userId, ct);
        var integration = await session.LoadIntegrationAsync(userId, req.Provider, ct);
        var name = NewsletterProviders.DisplayName(req.Provider);
        if (integration is null)
            throw new ProblemException(422, "Provider not connected", $"Connect {name} before publishing to it.");
        if (integration.Status == IntegrationStatus.Revoked)
            throw new ProblemException(422, "Provider connection revoked", $"The {name} connection was revoked: connect it again.");

        await using var planned = await plans.ConsumeDailyAsync(userId, PlanLimit.PublishesPerDay, ct);
        var job = new PublishJob
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            ChartId = chart.Id,
            Provider = req.Provider,
            TargetId = string.IsNullOrWhiteSpace(req.TargetId) ? null : req.TargetId.Trim(),
            AltText = string.IsNullOrWhiteSpace(req.AltText) ? null : req.AltText.Trim(),
            LinkUrl = string.IsNullOrWhiteSpace(req.LinkUrl) ? null : req.LinkUrl.Trim(),
            PublicBaseUrl = urls.BaseUrl,
            Status = PublishStatus.Queued,
            CreatedAt = clock.GetUtcNow(),
        };
        session.Store(job);
        await outbox.PublishAsync(new PublishChartToNewsletter(job.Id));
        await session.SaveChangesAsync(ct);
        planned.Keep();
        await Send.ResponseAsync(new PublishAccepted(job.Id, job.Status), 202, ct);
    }
}
