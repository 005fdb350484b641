using ChartCraft.Features.Export.Rendering;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>PDF reports printed by the shared Chromium.</summary>
[Collection(ChromiumCollection.Name)]
public class PdfReportTests(ChromiumFixture fixture)
{
    [Fact]
    public async Task three_chart_report_is_a_pdf_of_three_pages_titled_after_the_report()
    {
        var charts = new[] { "bar", "line", "pie" }.Select(type => new ReportChart(
                SampleCharts.OfType(type), new FigureOptions($"Yield by site ({type})", "Site", "Yield"),
                "Waseca yields the most", ["Yields fell from 1931 to 1932 at most sites."],
                [new KeyFigure("Total yield", SampleCharts.Barley.Sum(r => r.Yield).ToString("N1"))]))
            .ToList();

        var pdf = await new PdfReportRenderer(fixture.Renderer).RenderAsync("Barley trials <1931–1932>", charts, DateTimeOffset.UtcNow);

        System.Text.Encoding.ASCII.GetString(pdf, 0, 5).ShouldBe("%PDF-");
        pdf.Length.ShouldBeGreaterThan(1024);
        // The first chart shares page 1 with the report header; each further chart starts a page.
        ImageFiles.PdfPageCount(pdf).ShouldBe(3);
        ImageFiles.PdfTitle(pdf).ShouldBe("Barley trials <1931–1932>");
    }

    [Fact]
    public async Task print_runs_the_html_without_javascript()
    {
        const string html = "<!DOCTYPE html><html><head><title>Static</title></head><body><p>one</p>" +
                            "<script>document.title = 'script ran'</script></body></html>";

        var pdf = await fixture.Renderer.PrintPdfAsync(html);

        ImageFiles.PdfTitle(pdf).ShouldBe("Static");
        ImageFiles.PdfPageCount(pdf).ShouldBe(1);
    }
}
