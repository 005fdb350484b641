using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>A chart to put in a PDF report with the texts shown under it (any may be empty).</summary>
public sealed record ReportChart(
    AggregatedChart Chart,
    FigureOptions Figure,
    string? Headline = null,
    IReadOnlyList<string>? Insights = null,
    IReadOnlyList<KeyFigure>? KeyFigures = null);

/// <summary>Renders charts as SVG, lays them out with <see cref="ReportHtmlBuilder"/> and prints an A4 PDF.</summary>
public sealed class PdfReportRenderer(ChromiumRenderer renderer)
{
    /// <summary>Charts are drawn at 900 × 500 CSS px and scaled as vectors to the A4 text width (≈ 182 mm).</summary>
    public const int ChartWidth = 900;
    public const int ChartHeight = 500;

    public async Task<byte[]> RenderAsync(string title, IReadOnlyList<ReportChart> charts, DateTimeOffset generatedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(charts);
        // The section heading carries the chart title, so the figure itself is drawn without one.
        var svgs = await Task.WhenAll(charts.Select(c => renderer.RenderSvgAsync(
            PlotlyFigureBuilder.Build(c.Chart, c.Figure with { Title = null }), ChartWidth, ChartHeight, cancellationToken)));
        var sections = charts
            .Select((c, i) => new ReportSection(
                string.IsNullOrWhiteSpace(c.Figure.Title) ? $"{c.Chart.Measure} by {c.Chart.XColumn}" : c.Figure.Title,
                svgs[i], c.Headline, c.Insights, c.KeyFigures))
            .ToList();
        var html = ReportHtmlBuilder.Build(new ReportModel(title, generatedAt, sections));
        return await renderer.PrintPdfAsync(html, cancellationToken);
    }
}
