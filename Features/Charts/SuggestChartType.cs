using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Hybrid;

namespace ChartCraft.Features.Charts;

public sealed class SuggestChartTypeRequest
{
    [QueryParam, BindFrom("data_source_id")] public Guid DataSourceId { get; set; }
}

public sealed class SuggestChartTypeValidator : Validator<SuggestChartTypeRequest>
{
    public SuggestChartTypeValidator() => RuleFor(x => x.DataSourceId).NotEmpty().OverridePropertyName("data_source_id");
}

/// <param name="Source">"rules", or "openai" when GPT re-ranked and explained the rule-based candidates.</param>
public sealed record SuggestionsResponse(IReadOnlyList<ChartSuggestion> Suggestions, string Source);

/// <summary>GET /api/charts/suggest-type: ranked chart suggestions whose config can be posted back as a chart.</summary>
public sealed class SuggestChartTypeEndpoint(IDocumentStore store, DataSetCache dataSets, HybridCache cache, IInsightGenerator ai)
    : Endpoint<SuggestChartTypeRequest, SuggestionsResponse>
{
    public override void Configure()
    {
        Get("/charts/suggest-type");
        Description(d => d.WithTags("Charts").Produces<SuggestionsResponse>(200).ProducesProblems(400, 401, 404, 422), clearDefaults: true);
        Summary(s => s.Summary = "Chart suggestions for a data source, best first");
    }

    public override async Task HandleAsync(SuggestChartTypeRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var source = await session.LoadOwnedSourceAsync(req.DataSourceId, User.UserId(), ct);
        // A version of a source never changes, so its id and version are a sufficient key.
        var response = await cache.GetOrCreateCountedAsync("suggestions", $"suggestions:{source.ContentKey}",
            async token => await SuggestAsync(await dataSets.GetAsync(source, token), token), cancellationToken: ct);
        await Send.OkAsync(response, ct);
    }

    /// <summary>
    /// The rules propose; with OpenAI configured the model may re-order and re-word them (never add a chart
    /// the rules did not propose), and any failure leaves the rules' answer.
    /// </summary>
    async Task<SuggestionsResponse> SuggestAsync(DataSet data, CancellationToken ct)
    {
        var rules = ChartRecommender.Suggest(data);
        var candidates = rules.Select(s => new ChartTypeCandidate(s.ChartType, s.Confidence, s.Reason, s.Config.XColumn ?? "",
            s.Config.FirstYColumn)).ToList();
        var ranked = await ai.SuggestChartTypesAsync(data, candidates, ct);
        if (ranked.Source != "openai") return new SuggestionsResponse(rules, "rules");
        var reordered = ranked.Suggestions
            .Select(c => rules.FirstOrDefault(r => r.ChartType == c.ChartType && (r.Config.XColumn ?? "") == c.XColumn
                                                   && r.Config.FirstYColumn == c.YColumn) is { } rule
                ? rule with { Confidence = c.Confidence, Reason = c.Reason }
                : null)
            .OfType<ChartSuggestion>()
            .ToList();
        return reordered.Count > 0 ? new SuggestionsResponse(reordered, "openai") : new SuggestionsResponse(rules, "rules");
    }
}
