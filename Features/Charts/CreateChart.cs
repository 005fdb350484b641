using Wolverine.Marten;

namespace ChartCraft.Features.Charts;

/// <param name="TemplateId">A saved template of the caller: its chart type and style apply where the request leaves them out.</param>
public sealed record CreateChartRequest(Guid DataSourceId, string? ChartType, string Title, ChartRequestConfig? Config,
    bool GenerateInsights = false, bool IsPublic = false, Guid? TemplateId = null)
{
    public NewChart ToNewChart() => new(DataSourceId, ChartType, Title, Config, GenerateInsights, TemplateId);
}

public sealed class CreateChartValidator : Validator<CreateChartRequest>
{
    public CreateChartValidator()
    {
        RuleFor(x => x.DataSourceId).NotEmpty();
        // A template gives the type when the request leaves it out.
        RuleFor(x => x.ChartType).NotEmpty().When(x => x.TemplateId is null);
        RuleFor(x => x.ChartType).Must(ChartTypes.IsKnown).When(x => !string.IsNullOrEmpty(x.ChartType))
            .WithMessage($"must be one of: {string.Join(", ", ChartTypes.All)}");
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
    }
}

/// <summary>POST /api/charts: a chart from a data source (and optionally a template); its stream starts with ChartCreated.</summary>
public sealed class CreateChartEndpoint(IDocumentStore store, IMartenOutbox outbox, ChartCreation creation, ThumbnailLinks thumbnails)
    : Endpoint<CreateChartRequest, ChartResponse>
{
    public override void Configure()
    {
        Post("/charts");
        Description(d => d.WithTags("Charts").Accepts<CreateChartRequest>("application/json")
            .Produces<ChartResponse>(201).ProducesProblems(400, 401, 403, 404, 422, 429), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Create a chart";
            s.Responses[403] = "The plan's charts limit is reached";
            s.Responses[404] = "Data source or template not found";
            s.Responses[429] = "The plan's AI insights for today are used up (with OpenAI on and generate_insights)";
            s.Responses[422] = "Invalid fields, or the data cannot feed this chart (the detail names the column)";
        });
    }

    public override async Task HandleAsync(CreateChartRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        // Before drafting, so a refused chart spends no AI insight; the per-user lock is held until the commit.
        await creation.ReserveAsync(session, userId, ct);
        var prepared = await creation.PrepareAsync(session, userId, req.ToNewChart(), ct);
        var chart = await creation.StoreAsync(session, outbox, userId, prepared, req.IsPublic, ct);
        await Send.ResponseAsync(ChartResponse.From(chart, 0, thumbnails), 201, ct);
    }
}
