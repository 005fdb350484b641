using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Security;
using FastEndpoints;
using FluentValidation;
using Marten;
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

public sealed record SuggestionsResponse(IReadOnlyList<ChartSuggestion> Suggestions);

/// <summary>GET /api/charts/suggest-type: ranked chart suggestions whose config can be posted back as a chart.</summary>
public sealed class SuggestChartTypeEndpoint(DataSetCache dataSets, HybridCache cache) : Endpoint<SuggestChartTypeRequest, SuggestionsResponse>
{
    public override void Configure()
    {
        Get("/charts/suggest-type");
        Description(d => d.WithTags("Charts").Produces<SuggestionsResponse>(200).ProducesProblems(401, 404, 422), clearDefaults: true);
        Summary(s => s.Summary = "Chart suggestions for a data source, best first");
    }

    public override async Task HandleAsync(SuggestChartTypeRequest req, CancellationToken ct)
    {
        await using var session = Resolve<IDocumentStore>().QuerySession();
        var source = await session.LoadOwnedSourceAsync(req.DataSourceId, User.UserId(), ct);
        // A source never changes after upload, so its id is a sufficient key.
        var suggestions = await cache.GetOrCreateAsync($"suggestions:{source.Id:N}",
            async token => ChartRecommender.Suggest(await dataSets.GetAsync(source, token)).ToList(), cancellationToken: ct);
        await Send.OkAsync(new SuggestionsResponse(suggestions), ct);
    }
}
