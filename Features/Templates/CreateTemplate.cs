using ChartCraft.Features.Charts;

namespace ChartCraft.Features.Templates;

public sealed record CreateTemplateRequest(Guid ChartId, string Name);

public sealed class CreateTemplateValidator : Validator<CreateTemplateRequest>
{
    public CreateTemplateValidator()
    {
        RuleFor(x => x.ChartId).NotEmpty();
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100);
    }
}

/// <summary>POST /api/templates: saves the style of one of the caller's charts under a name.</summary>
public sealed class CreateTemplateEndpoint(IDocumentStore store, TimeProvider clock) : Endpoint<CreateTemplateRequest, TemplateResponse>
{
    public override void Configure()
    {
        Post("/templates");
        Description(d => d.WithTags("Templates").Accepts<CreateTemplateRequest>("application/json")
            .Produces<TemplateResponse>(201).ProducesProblems(400, 401, 404, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Save a chart's style as a template";
            s.Responses[404] = "Chart not found";
        });
    }

    public override async Task HandleAsync(CreateTemplateRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.LightweightSession();
        var chart = await session.LoadOwnedChartAsync(req.ChartId, userId, ct);
        var template = new ChartTemplate
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = req.Name.Trim(),
            Style = ChartStyle.Of(chart),
            SourceChartId = chart.Id,
            CreatedAt = clock.GetUtcNow(),
        };
        session.Insert(template);
        await session.SaveChangesAsync(ct);
        await Send.ResponseAsync(TemplateResponse.From(template), 201, ct);
    }
}
