using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Hybrid;

namespace ChartCraft.Features.Analyze;

public sealed record AnalyzeRequest(Guid DataSourceId, string AnalysisType = DataAnalyzer.Basic);

public sealed class AnalyzeValidator : Validator<AnalyzeRequest>
{
    public AnalyzeValidator()
    {
        RuleFor(x => x.DataSourceId).NotEmpty();
        RuleFor(x => x.AnalysisType).Must(t => t is DataAnalyzer.Basic or DataAnalyzer.Full).WithMessage("must be 'basic' or 'full'");
    }
}

public sealed record AnalysisResponse(
    Guid DataSourceId,
    string AnalysisType,
    int RowCount,
    int ColumnCount,
    IReadOnlyDictionary<string, ColumnStatistics> Statistics,
    IReadOnlyList<Pattern> Patterns,
    IReadOnlyList<Recommendation> Recommendations);

/// <summary>
/// POST /api/data/analyze: per-column statistics ("basic") plus patterns and recommendations ("full").
/// Results are cached by source and type (a version of a source never changes).
/// </summary>
public sealed class AnalyzeSourceEndpoint(IDocumentStore store, DataSetCache dataSets, HybridCache cache)
    : Endpoint<AnalyzeRequest, AnalysisResponse>
{
    public override void Configure()
    {
        Post("/data/analyze");
        Description(d => d.WithTags("Data sources").Accepts<AnalyzeRequest>("application/json")
            .Produces<AnalysisResponse>(200).ProducesProblems(400, 401, 404, 422), clearDefaults: true);
        Summary(s => s.Summary = "Analyse a data source (basic: statistics; full: plus patterns and recommendations)");
    }

    public override async Task HandleAsync(AnalyzeRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var source = await session.LoadOwnedSourceAsync(req.DataSourceId, User.UserId(), ct);
        var result = await cache.GetOrCreateCountedAsync("analysis", $"analysis:{source.ContentKey}:{req.AnalysisType}",
            async token =>
            {
                var data = await dataSets.GetAsync(source, token);
                return DataAnalyzer.Analyze(data, req.AnalysisType == DataAnalyzer.Full);
            }, cancellationToken: ct);
        await Send.OkAsync(new AnalysisResponse(source.Id, result.AnalysisType, result.RowCount, result.ColumnCount,
            result.Statistics, result.Patterns, result.Recommendations), ct);
    }
}
