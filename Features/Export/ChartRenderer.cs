using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Features.Statistics;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Errors;
using ChartCraft.Infrastructure.Observability;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace ChartCraft.Features.Export;

/// <summary>
/// Draws stored charts as files. The numbers come from the same aggregation and the same request config
/// as the chart's Chart.js config, and the titles and colours from the same presentation, so an export
/// shows exactly what the frontend shows.
/// </summary>
public sealed class ChartRenderer(IDocumentStore store, DataSetCache dataSets, ChromiumRenderer chromium, PdfReportRenderer reports,
    ExportFileStore files) : IChartImageExporter, IDisposable
{
    /// <summary>A chart revision's numbers never change, so exports in other sizes or themes reuse them.</summary>
    readonly MemoryCache _aggregated = new(new MemoryCacheOptions { SizeLimit = 256 });

    public async Task<StoredExport> ExportImageAsync(Guid chartId, Guid userId, ImageExportOptions options, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var chart = await session.LoadOwnedChartAsync(chartId, userId, ct);
        return await StoreImageAsync(session, chart, options, ct);
    }

    /// <summary>Renders (or finds already stored) an image of this chart revision with these options.</summary>
    public async Task<StoredExport> StoreImageAsync(IQuerySession session, Chart chart, ImageExportOptions options, CancellationToken ct)
    {
        using var owner = FairRenderScheduler.OnBehalfOf(chart.UserId);
        // Same revision + same options = same picture: reuse the stored file.
        if (await files.FindImageAsync(chart, options, ct) is { } existing) return existing;

        var (aggregated, presentation) = await AggregateAsync(session, chart, options.Theme, ct);
        var figure = PlotlyFigureBuilder.Build(aggregated, Figure(aggregated, presentation, options.Transparent));
        var bytes = await chromium.RenderAsync(figure, options.Format == ExportFormats.Svg ? ImageFormat.Svg : ImageFormat.Png,
            options.Width, options.Height, ChromiumRenderer.ScaleForDpi(options.Dpi), ct);
        return await files.StoreImageAsync(chart, options, bytes, ct);
    }

    /// <summary>A PDF report of several charts, each with its headline, insights and key figures.</summary>
    public async Task<byte[]> RenderReportAsync(IQuerySession session, IReadOnlyList<Chart> charts, string title, bool includeInsights,
        DateTimeOffset generatedAt, CancellationToken ct)
    {
        using var owner = FairRenderScheduler.OnBehalfOf(charts.Count > 0 ? charts[0].UserId : Guid.Empty);
        var sections = new List<ReportChart>();
        foreach (var chart in charts)
        {
            var (aggregated, presentation) = await AggregateAsync(session, chart, "light", ct);
            var insights = includeInsights ? chart.AiInsights ?? StatisticalInsightGenerator.Generate(aggregated) : null;
            sections.Add(new ReportChart(aggregated, Figure(aggregated, presentation, transparent: false),
                insights?.Headline, insights?.Insights, KeyFigures(aggregated)));
        }
        return await reports.RenderAsync(title, sections, generatedAt, ct);
    }

    /// <summary>The chart's Chart.js config in a theme: the stored (light) one, or rebuilt from the same numbers for dark.</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> ChartJsConfigAsync(IQuerySession session, Chart chart, string theme, CancellationToken ct)
    {
        if (theme != "dark") return chart.ChartConfig;
        var (aggregated, presentation) = await AggregateAsync(session, chart, theme, ct);
        return ChartJsConfigBuilder.Build(aggregated, presentation);
    }

    async Task<(AggregatedChart, ChartPresentation)> AggregateAsync(IQuerySession session, Chart chart, string theme, CancellationToken ct)
    {
        var presentation = ChartPresentation.From(chart.Title, chart.Config, theme);
        var key = (chart.Id, chart.Revision);
        if (_aggregated.TryGetValue(key, out AggregatedChart? cached))
        {
            AppMetrics.CacheHit("chart_aggregation");
            return (cached!, presentation);
        }
        AppMetrics.CacheMiss("chart_aggregation");
        var source = await session.LoadAsync<DataSource>(chart.DataSourceId, ct)
            ?? throw new ProblemException(422, "The chart's data source is gone", $"Data source {chart.DataSourceId} no longer exists.");
        var data = await dataSets.GetAsync(source, ct);
        var aggregated = ChartAggregator.Aggregate(data, chart.ChartType, chart.Config);
        _aggregated.Set(key, aggregated, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(30) });
        return (aggregated, presentation);
    }

    public void Dispose() => _aggregated.Dispose();

    static FigureOptions Figure(AggregatedChart aggregated, ChartPresentation presentation, bool transparent)
    {
        var drawn = presentation.ResolveFor(aggregated);
        return new FigureOptions(drawn.Title, drawn.XTitle, drawn.YTitle, drawn.Colors, drawn.Theme, transparent, aggregated.Unit);
    }

    /// <summary>Highest, lowest and total of the first series, formatted for people, for the report's table.</summary>
    static IReadOnlyList<KeyFigure> KeyFigures(AggregatedChart chart)
    {
        if (chart.Points is { Count: > 0 } points)
            return [new KeyFigure("Points", Readable.Count(points.Count))];
        if (chart.Series.Count == 0) return [];
        var values = chart.Series[0].Values.Select((v, i) => (Value: v, Label: chart.Labels[i])).Where(p => p.Value is not null).ToList();
        if (values.Count == 0) return [];
        var max = values.MaxBy(p => p.Value!.Value);
        var min = values.MinBy(p => p.Value!.Value);
        var figures = new List<KeyFigure>
        {
            new($"Highest ({max.Label})", Readable.Compact(max.Value!.Value, chart.Unit)),
            new($"Lowest ({min.Label})", Readable.Compact(min.Value!.Value, chart.Unit)),
        };
        if (chart.Aggregation is "sum" or "count" && chart.Unit != "%")
            figures.Add(new KeyFigure("Total", Readable.Compact(values.Sum(p => p.Value!.Value), chart.Unit)));
        figures.Add(new KeyFigure(chart.XKind == AxisKinds.Time ? "Periods" : "Categories", Readable.Count(values.Count)));
        return figures;
    }
}
