using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Insights;

namespace ChartCraft.Features.Charts;

/// <summary>What a chart request would draw: the type (a template may give it), the filled-in config, Chart.js config and insights.</summary>
public sealed record ChartPreviewResponse(string ChartType, ChartRequestConfig Config, JsonObject ChartConfig, ChartInsights? AiInsights);

/// <summary>
/// POST /api/charts/preview: the body, checks and errors of POST /api/charts, and the chart it would make, without storing
/// anything (no chart, no event, no webhook). Insights only when generate_insights asks for them.
/// </summary>
public sealed class PreviewChartEndpoint(IDocumentStore store, ChartCreation creation) : Endpoint<CreateChartRequest, ChartPreviewResponse>
{
    public override void Configure()
    {
        Post("/charts/preview");
        Description(d => d.WithTags("Charts").Accepts<CreateChartRequest>("application/json")
            .Produces<ChartPreviewResponse>(200).ProducesProblems(400, 401, 404, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Preview a chart without saving it";
            s.Responses[404] = "Data source or template not found";
            s.Responses[422] = "Invalid fields, or the data cannot feed this chart (the detail names the column)";
        });
    }

    public override async Task HandleAsync(CreateChartRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var prepared = await creation.PrepareAsync(session, User.UserId(), req.ToNewChart(), ct);
        await Send.OkAsync(new ChartPreviewResponse(prepared.ChartType, prepared.Draft.Config, prepared.Draft.ChartConfig,
            prepared.Draft.Insights), ct);
    }
}
