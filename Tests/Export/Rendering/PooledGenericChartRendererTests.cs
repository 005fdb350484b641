using ChartCraft.Features.Export.Rendering;
using Plotly.NET;
using Plotly.NET.ImageExport;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>Plotly.NET.ImageExport's renderer interface served by the shared pool, with the package's conventions.</summary>
[Collection(ChromiumCollection.Name)]
public class PooledGenericChartRendererTests(ChromiumFixture fixture)
{
    readonly IGenericChartRenderer _renderer = new PooledGenericChartRenderer(fixture.Renderer);

    static GenericChart Pie() => PlotlyFigureBuilder.Build(SampleCharts.YieldBySite("pie"), new FigureOptions("Share of yield"));

    [Fact]
    public async Task png_comes_back_as_a_data_url_of_the_scaled_size()
    {
        var dataUrl = await _renderer.RenderPNGAsync(300, 200, 2.0, Pie());

        dataUrl.ShouldStartWith("data:image/png;base64,");
        var header = ImageFiles.PngHeader(Convert.FromBase64String(dataUrl["data:image/png;base64,".Length..]));
        (header.Width, header.Height).ShouldBe((600, 400));
    }

    [Fact]
    public void svg_comes_back_as_markup_also_from_the_synchronous_member()
    {
        var svg = _renderer.RenderSVG(300, 200, 1.0, Pie());

        svg.ShouldStartWith("<svg");
        svg.ShouldContain("Share of yield");
    }

    [Fact]
    public async Task save_writes_the_path_with_the_format_extension()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chartcraft-save-{Guid.NewGuid():N}");
        try
        {
            await _renderer.SavePNGAsync(path, 300, 200, 1.0, Pie());
            await _renderer.SaveJPGAsync(path, 300, 200, 1.0, Pie());

            ImageFiles.PngHeader(await File.ReadAllBytesAsync(path + ".png")).Width.ShouldBe(300);
            (await File.ReadAllBytesAsync(path + ".jpg"))[..2].ShouldBe(new byte[] { 0xFF, 0xD8 });
        }
        finally
        {
            File.Delete(path + ".png");
            File.Delete(path + ".jpg");
        }
    }
}
