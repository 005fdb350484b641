using ChartCraft.Features.Messages;
using ChartCraft.Features.Plans;
using ChartCraft.Features.Upload;
using Wolverine.Marten;

namespace ChartCraft.Features.Charts;

public sealed record CreateChartRequest(Guid DataSourceId, string ChartType, string Title, ChartRequestConfig? Config,
    bool GenerateInsights = false, bool IsPublic = false);

public sealed class CreateChartValidator : Validator<CreateChartRequest>
{
    public CreateChartValidator()
    {
        RuleFor(x => x.DataSourceId).NotEmpty();
        RuleFor(x => x.ChartType).Cascade(CascadeMode.Stop).NotEmpty().Must(ChartTypes.IsKnown)
            .WithMessage($"must be one of: {string.Join(", ", ChartTypes.All)}");
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200);
    }
}

/// <summary>POST /api/charts: a chart from a data source; its stream starts with ChartCreated.</summary>
public sealed class CreateChartEndpoint(IDocumentStore store, IMartenOutbox outbox, DataSetCache dataSets, ChartDrafting drafting,
    PlanEnforcement plans, TimeProvider clock)
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
            s.Responses[404] = "Data source not found";
            s.Responses[429] = "The plan's AI insights for today are used up (with OpenAI on and generate_insights)";
            s.Responses[422] = "Invalid fields, or the data cannot feed this chart (the detail names the column)";
        });
    }

    public override async Task HandleAsync(CreateChartRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var source = await session.LoadOwnedSourceAsync(req.DataSourceId, userId, ct);
        // Before drafting, so a refused chart spends no AI insight; the per-user lock is held until the commit.
        await plans.EnsureCanAddAsync(session, userId, PlanLimit.Charts, ct);
        var data = await dataSets.GetAsync(source, ct);
        var title = req.Title.Trim();
        var draft = await drafting.DraftAsync(source.Id, data, req.ChartType, title, req.Config, req.GenerateInsights, ct);

        var chartId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        session.Events.StartStream<Chart>(chartId, new ChartCreated(chartId, userId, source.Id, title, req.ChartType,
            draft.Config, draft.ChartConfig, draft.Insights, req.IsPublic, now));
        session.Insert(new ChartViews { Id = chartId });
        await outbox.PublishAsync(new WebhookEvent(userId, WebhookEventTypes.ChartCreated, new Dictionary<string, object?>
        {
            ["chart_id"] = chartId, ["data_source_id"] = source.Id, ["title"] = title, ["chart_type"] = req.ChartType,
        }, now));
        await session.SaveChangesAsync(ct);

        var chart = await session.LoadAsync<Chart>(chartId, ct);
        await Send.ResponseAsync(ChartResponse.From(chart!, 0), 201, ct);
    }
}
