using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Memory;

namespace ChartCraft.Features.Charts;

/// <summary>
/// A stored chart as another renderer draws it: its numbers from the same aggregation and request config as its
/// Chart.js config, and the titles and colours that config draws with. Export's one way into Charts, so an export
/// shows exactly what the frontend shows.
/// </summary>
public sealed class ChartFigures(DataSetCache dataSets) : IDisposable
{
    /// <summary>A chart revision's numbers never change, so exports in other sizes or themes reuse them.</summary>
    readonly MemoryCache _aggregated = new(new MemoryCacheOptions { SizeLimit = 256 });

    /// <summary>The chart's numbers and look in <paramref name="theme"/>.</summary>
    public async Task<ChartFigure> ForAsync(IQuerySession session, Chart chart, string theme, CancellationToken ct)
    {
        // Its config no longer fits the data: drawing it would fail on the column, or show data it does not describe.
        if (chart.Status == ChartStatuses.NeedsAttention)
            throw new ProblemException(StatusCodes.Status422UnprocessableEntity, "The chart needs attention",
                $"Chart {chart.Id} cannot be drawn from its data source's current data: {chart.StatusReason}");
        var presentation = ChartPresentation.From(chart.Title, chart.Config, theme);
        var numbers = await NumbersAsync(session, chart, ct);
        return new ChartFigure(numbers, presentation.ResolveFor(numbers), presentation, chart.AiInsights);
    }

    /// <summary>The chart's Chart.js config in a theme: the stored (light) one, or rebuilt from the same numbers for dark.</summary>
    public async Task<JsonObject> ChartJsConfigAsync(IQuerySession session, Chart chart, string theme, CancellationToken ct)
    {
        // A chart that needs attention shows its last good config, which exists only in the stored (light) theme.
        if (theme != "dark" || chart.Status == ChartStatuses.NeedsAttention) return chart.ChartConfig;
        var figure = await ForAsync(session, chart, theme, ct);
        return ChartJsConfigBuilder.Build(figure.Numbers, figure.Presentation);
    }

    async Task<AggregatedChart> NumbersAsync(IQuerySession session, Chart chart, CancellationToken ct)
    {
        var key = (chart.Id, chart.Revision);
        if (_aggregated.TryGetValue(key, out AggregatedChart? cached))
        {
            AppMetrics.CacheHit("chart_aggregation");
            return cached!;
        }
        AppMetrics.CacheMiss("chart_aggregation");
        var source = await session.LoadAsync<DataSource>(chart.DataSourceId, ct)
            ?? throw new ProblemException(422, "The chart's data source is gone", $"Data source {chart.DataSourceId} no longer exists.");
        var numbers = ChartAggregator.Aggregate(await dataSets.GetAsync(source, ct), chart.ChartType, chart.Config);
        _aggregated.Set(key, numbers, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return numbers;
    }

    public void Dispose() => _aggregated.Dispose();
}

/// <summary>A chart ready to draw elsewhere.</summary>
/// <param name="Numbers">What the chart plots, aggregated as its Chart.js config plots it.</param>
/// <param name="Look">Title, axis titles, colours and theme, as the Chart.js config draws them.</param>
/// <param name="Presentation">The presentation the look was resolved from.</param>
/// <param name="StoredInsights">The insights stored with the chart (AI-written), if any.</param>
public sealed record ChartFigure(AggregatedChart Numbers, ResolvedPresentation Look, ChartPresentation Presentation,
    ChartInsights? StoredInsights)
{
    /// <summary>The stored insights, or the statistical ones of the numbers: computed only when asked (a PDF report),
    /// never for an image export.</summary>
    public ChartInsights Insights() => StoredInsights ?? StatisticalInsightGenerator.Generate(Numbers);
}
