using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Features.Statistics;
using GenericChart = Plotly.NET.GenericChart;

namespace ChartCraft.Features.Export;

/// <summary>
/// Draws stored charts as files, from the numbers and look Charts gives for them (<see cref="ChartFigures"/>), so an
/// export shows exactly what the frontend shows.
/// </summary>
public sealed class ChartRenderer(IDocumentStore store, ChartFigures figures, ChromiumRenderer chromium, PdfReportRenderer reports,
    ExportFileStore files) : IChartImageExporter
{
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

        var drawn = await figures.ForAsync(session, chart, options.Theme, ct);
        var figure = PlotlyFigureBuilder.Build(drawn.Numbers, Figure(drawn, options.Transparent));
        var bytes = await chromium.RenderAsync(figure, options.Format == ExportFormats.Svg ? ImageFormat.Svg : ImageFormat.Png,
            options.Width, options.Height, ChromiumRenderer.ScaleForDpi(options.Dpi), ct);
        return await files.StoreImageAsync(chart, options, bytes, ct);
    }

    /// <summary>
    /// What a list thumbnail of the chart shows: its numbers and colours without its titles, which would not fit. Its
    /// fingerprint covers everything that decides the pixels, so equal fingerprints mean equal pictures.
    /// </summary>
    public async Task<ThumbnailDrawing> ThumbnailDrawingAsync(IQuerySession session, Chart chart, int width, int height,
        CancellationToken ct)
    {
        var drawn = await figures.ForAsync(session, chart, "light", ct);
        var figure = PlotlyFigureBuilder.Build(drawn.Numbers, new FigureOptions(Colors: drawn.Look.Colors, Theme: drawn.Look.Theme,
            Unit: drawn.Numbers.Unit));
        var json = GenericChart.toJson(figure);
        return new ThumbnailDrawing(json, width, height, ThumbnailDrawing.FingerprintOf(json, width, height));
    }

    /// <summary>Renders a thumbnail as a PNG.</summary>
    public async Task<byte[]> RenderThumbnailAsync(ThumbnailDrawing drawing, CancellationToken ct)
    {
        // Nobody waits for a thumbnail: it renders when no export does.
        using var owner = FairRenderScheduler.OnBehalfOf(FairRenderScheduler.Background);
        return await chromium.RenderAsync(drawing.FigureJson, ImageFormat.Png, drawing.Width, drawing.Height, 1, ct);
    }

    /// <summary>A PDF report of several charts, each with its headline, insights and key figures.</summary>
    public async Task<byte[]> RenderReportAsync(IQuerySession session, IReadOnlyList<Chart> charts, string title, bool includeInsights,
        DateTimeOffset generatedAt, CancellationToken ct)
    {
        using var owner = FairRenderScheduler.OnBehalfOf(charts.Count > 0 ? charts[0].UserId : Guid.Empty);
        var sections = new List<ReportChart>();
        foreach (var chart in charts)
        {
            var drawn = await figures.ForAsync(session, chart, "light", ct);
            var insights = includeInsights ? drawn.Insights() : null;
            sections.Add(new ReportChart(drawn.Numbers, Figure(drawn, transparent: false),
                insights?.Headline, insights?.Insights, KeyFigures(drawn.Numbers)));
        }
        return await reports.RenderAsync(title, sections, generatedAt, ct);
    }

    static FigureOptions Figure(ChartFigure figure, bool transparent) => new(figure.Look.Title, figure.Look.XTitle, figure.Look.YTitle,
        figure.Look.Colors, figure.Look.Theme, transparent, figure.Numbers.Unit);

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

/// <summary>A thumbnail before it is rendered: the figure (Plotly JSON), its size, and the fingerprint of both (SHA-256, hex).</summary>
public sealed record ThumbnailDrawing(string FigureJson, int Width, int Height, string Fingerprint)
{
    /// <summary>The figure's JSON, its size and the plotly.js version that draws it: what decides every pixel.</summary>
    public static string FingerprintOf(string figureJson, int width, int height)
    {
        var drawn = $"plotly.js {ChromiumRenderer.PlotlyJsVersion}\n{width}x{height}\n{figureJson}";
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(drawn)));
    }
}
