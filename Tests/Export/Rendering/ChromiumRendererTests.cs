using System.Diagnostics;
using System.Xml.Linq;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Export.Rendering;
using ChartCraft.Infrastructure.Errors;
using Plotly.NET;
using PuppeteerSharp;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>PNG, SVG and JPEG from the shared warm Chromium, checked in the bytes it returns.</summary>
[Collection(ChromiumCollection.Name)]
public class ChromiumRendererTests(ChromiumFixture fixture)
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    readonly ChromiumRenderer _renderer = fixture.Renderer;

    static GenericChart Figure(AggregatedChart chart, FigureOptions? options = null) =>
        PlotlyFigureBuilder.Build(chart, options ?? new FigureOptions("Yield by site", "Site", "Yield"));

    static XDocument ParseSvg(byte[] svg) => XDocument.Parse(System.Text.Encoding.UTF8.GetString(svg));

    static List<string> Texts(XDocument svg) => svg.Descendants(Svg + "text").Select(t => t.Value).ToList();

    [Fact]
    public async Task png_has_the_png_signature_and_the_requested_pixel_size()
    {
        var png = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 800, 600, 1);

        var header = ImageFiles.PngHeader(png);
        (header.Width, header.Height).ShouldBe((800, 600));
    }

    [Theory]
    [InlineData(192, 1600, 1200)]
    [InlineData(300, 2500, 1875)]
    public async Task png_at_a_print_resolution_has_size_times_dpi_over_96_pixels(int dpi, int width, int height)
    {
        var png = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 800, 600,
            ChromiumRenderer.ScaleForDpi(dpi));

        var header = ImageFiles.PngHeader(png);
        (header.Width, header.Height).ShouldBe((width, height));
    }

    [Fact]
    public async Task svg_is_well_formed_xml_with_the_title_axis_labels_and_every_category()
    {
        var svg = ParseSvg(await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Svg, 800, 600, 1));

        svg.Root!.Name.ShouldBe(Svg + "svg");
        svg.Root.Attribute("width")!.Value.ShouldBe("800");
        var texts = Texts(svg);
        texts.ShouldContain("Yield by site");
        texts.ShouldContain("Site");
        texts.ShouldContain("Yield");
        foreach (var site in SampleCharts.Sites) texts.ShouldContain(site);
    }

    [Fact]
    public async Task a_title_with_script_markup_is_text_in_the_svg_not_an_element()
    {
        const string title = "Sales <script>alert(1)</script> & <b>Co</b> <img src=x onerror=alert(2)>";
        var chart = SampleCharts.YieldBySite("bar") with { Labels = ["<script>x()</script>", "b", "c", "d", "e", "f"] };

        var bytes = await _renderer.RenderAsync(Figure(chart, new FigureOptions(title)), ImageFormat.Svg, 800, 600, 1);
        var svg = ParseSvg(bytes);

        svg.Descendants().Select(e => e.Name.LocalName).ShouldNotContain("script");
        svg.Descendants().Select(e => e.Name.LocalName).ShouldNotContain("img");
        svg.Descendants().Select(e => e.Name.LocalName).ShouldNotContain("b");
        svg.Descendants().Attributes().Select(a => a.Name.LocalName).ShouldNotContain("onerror");
        var texts = Texts(svg);
        texts.ShouldContain(title);
        texts.ShouldContain("<script>x()</script>");
        System.Text.Encoding.UTF8.GetString(bytes).ShouldNotContain("<script");
    }

    [Fact]
    public async Task dark_theme_paints_its_background_colour_in_the_svg()
    {
        var svg = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar"), new FigureOptions(Theme: Palettes.Theme("dark"))),
            ImageFormat.Svg, 800, 600, 1);

        var background = System.Drawing.ColorTranslator.FromHtml(Palettes.Theme("dark").Background);
        var rgb = $"rgb({background.R}, {background.G}, {background.B})";
        var root = ParseSvg(svg).Root!;
        // The first element of plotly's SVG is the paper background rectangle.
        root.Elements(Svg + "rect").First().Attribute("style")!.Value.ShouldContain($"fill: {rgb}");
    }

    [Fact]
    public async Task transparent_background_png_has_an_alpha_channel_and_a_see_through_corner()
    {
        var png = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar"), new FigureOptions(TransparentBackground: true)),
            ImageFormat.Png, 400, 300, 1);

        ImageFiles.PngHeader(png).ColorType.ShouldBe(6); // truecolour with alpha
        ImageFiles.TopLeftPixel(png)[3].ShouldBe((byte)0);
    }

    [Fact]
    public async Task opaque_background_png_has_an_opaque_white_corner()
    {
        var png = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 400, 300, 1);

        ImageFiles.TopLeftPixel(png).ShouldBe(new byte[] { 255, 255, 255, 255 });
    }

    [Theory]
    [InlineData("bar")]
    [InlineData("horizontal_bar")]
    [InlineData("stacked_bar")]
    [InlineData("line")]
    [InlineData("area")]
    [InlineData("pie")]
    [InlineData("doughnut")]
    [InlineData("scatter")]
    [InlineData("histogram")]
    public async Task every_chart_type_renders_its_data(string chartType)
    {
        var chart = SampleCharts.OfType(chartType);

        var svg = ParseSvg(await _renderer.RenderAsync(Figure(chart), ImageFormat.Svg, 640, 480, 1));

        // plotly classes each bar and marker "point" and each pie sector "slice".
        var points = svg.Descendants().Count(e => e.Attribute("class")?.Value.Split(' ') is { } classes
                                                  && (classes.Contains("point") || classes.Contains("slice")));
        var expected = chartType switch
        {
            "scatter" => chart.Points!.Count,
            "pie" or "doughnut" or "histogram" => chart.Labels.Count,
            _ => chart.Labels.Count * chart.Series.Count,
        };
        points.ShouldBe(expected);
        if (chartType is "pie" or "doughnut") Texts(svg).ShouldContain(SampleCharts.Sites[0]); // legend
    }

    [Fact]
    public async Task a_null_value_leaves_a_gap_instead_of_a_zero_bar()
    {
        var chart = new AggregatedChart("bar", "quarter", AxisKinds.Category, null, ["Q1", "Q2", "Q3", "Q4"], null,
            [new ChartSeries("sales", [10, null, 30, 40])], "sales", "sum", null);

        var svg = ParseSvg(await _renderer.RenderAsync(Figure(chart), ImageFormat.Svg, 640, 480, 1));

        var barPaths = svg.Descendants(Svg + "g")
            .Where(g => g.Attribute("class")?.Value.Split(' ').Contains("point") == true)
            .SelectMany(g => g.Elements(Svg + "path"))
            .Count(p => p.Attribute("d")?.Value is { Length: > 0 } d && d != "M0,0Z");
        barPaths.ShouldBe(3);
        Texts(svg).ShouldContain("Q2"); // the category keeps its place on the axis
    }

    [Fact]
    public async Task jpeg_starts_with_the_jpeg_marker()
    {
        var jpeg = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("pie")), ImageFormat.Jpeg, 400, 300, 1);

        jpeg[..3].ShouldBe(new byte[] { 0xFF, 0xD8, 0xFF });
    }

    [Fact]
    public async Task an_image_beyond_the_pixel_limit_is_refused_with_422_before_rendering()
    {
        var error = await Should.ThrowAsync<ProblemException>(() => _renderer.RenderAsync(
            Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 4000, 4000, ChromiumRenderer.ScaleForDpi(600)));

        error.Status.ShouldBe(422);
        error.Detail!.ShouldContain("25000×25000");
    }

    [Theory]
    [InlineData(0, 600, 1.0)]
    [InlineData(800, 50_000, 1.0)]
    [InlineData(800, 600, 0.0)]
    [InlineData(800, 600, double.NaN)]
    public async Task absurd_sizes_are_rejected(int width, int height, double scale) =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() =>
            _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, width, height, scale));

    [Fact]
    public async Task ten_concurrent_renders_all_succeed_on_a_pool_of_two_pages_the_rest_waiting()
    {
        var charts = Enumerable.Range(0, 10).Select(i => Figure(SampleCharts.YieldBySite(i % 2 == 0 ? "bar" : "line"))).ToList();
        int maxBusy = 0, maxWaiting = 0, maxOpenPages = 0;

        var renders = Task.WhenAll(charts.Select(c => _renderer.RenderAsync(c, ImageFormat.Png, 410, 300, 1)));
        while (!renders.IsCompleted)
        {
            var stats = _renderer.Stats;
            maxBusy = Math.Max(maxBusy, stats.BusyRenders);
            maxWaiting = Math.Max(maxWaiting, stats.WaitingRenders);
            maxOpenPages = Math.Max(maxOpenPages, await _renderer.CountOpenPagesAsync());
        }
        var pngs = await renders;

        pngs.ShouldAllBe(png => ImageFiles.PngHeader(png).Width == 410);
        maxWaiting.ShouldBeGreaterThan(0);
        maxBusy.ShouldBeLessThanOrEqualTo(fixture.Options.PoolSize);
        maxOpenPages.ShouldBeLessThanOrEqualTo(fixture.Options.PoolSize);
        _renderer.Stats.PeakBusyRenders.ShouldBeLessThanOrEqualTo(fixture.Options.PoolSize);
    }

    [Fact]
    public async Task a_hung_render_times_out_and_its_page_is_replaced()
    {
        await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 200, 200, 1);
        IPage? hungPage = null;

        var error = await Should.ThrowAsync<RenderTimeoutException>(() => _renderer.WithPlotlyPageAsync(page =>
        {
            hungPage = page;
            return page.EvaluateExpressionAsync<bool>("new Promise(() => {})"); // never resolves
        }, "test render", TimeSpan.FromSeconds(1), CancellationToken.None));

        error.Message.ShouldContain("did not finish within 1 s");
        hungPage!.IsClosed.ShouldBeTrue();
        var png = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 300, 200, 1);
        ImageFiles.PngHeader(png).Width.ShouldBe(300);
        (await _renderer.CountOpenPagesAsync()).ShouldBeLessThanOrEqualTo(fixture.Options.PoolSize);
    }

    [Fact]
    public async Task a_killed_browser_is_relaunched_on_the_next_render()
    {
        await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 200, 200, 1);
        var before = _renderer.Stats;
        var chromium = Process.GetProcessById(before.BrowserProcessId!.Value);

        chromium.Kill(); // the browser process only: its renderers notice and exit on their own
        await chromium.WaitForExitAsync();
        var png = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 320, 240, 1);

        ImageFiles.PngHeader(png).Width.ShouldBe(320);
        _renderer.Stats.BrowserLaunches.ShouldBe(before.BrowserLaunches + 1);
        _renderer.Stats.BrowserProcessId.ShouldNotBe(before.BrowserProcessId);
    }

    [Fact]
    public async Task a_frozen_browser_is_killed_after_a_render_times_out_and_a_new_one_serves_the_next_render()
    {
        await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 200, 200, 1);
        var before = _renderer.Stats;
        using var chromium = Process.GetProcessById(before.BrowserProcessId!.Value);
        using (var stop = Process.Start("kill", ["-STOP", chromium.Id.ToString()])) await stop.WaitForExitAsync();

        await Should.ThrowAsync<RenderTimeoutException>(() => _renderer.WithPlotlyPageAsync(
            page => page.EvaluateExpressionAsync<int>("1 + 1"), "test render", TimeSpan.FromSeconds(1), CancellationToken.None));

        chromium.WaitForExit(TimeSpan.FromSeconds(10)).ShouldBeTrue();
        var png = await _renderer.RenderAsync(Figure(SampleCharts.YieldBySite("bar")), ImageFormat.Png, 330, 240, 1);
        ImageFiles.PngHeader(png).Width.ShouldBe(330);
        _renderer.Stats.BrowserLaunches.ShouldBe(before.BrowserLaunches + 1);
    }
}
