using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.ImageExport;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>
/// Plotly.NET.ImageExport's <see cref="IGenericChartRenderer"/> on top of the warm <see cref="ChromiumRenderer"/>
/// pool, with the package's own conventions: Render* return a data: URL (PNG/JPG) or SVG markup, Save* write
/// "<c>path</c>.png|.jpg|.svg" (the path is given without extension).
/// </summary>
/// <remarks>
/// Plotly.NET.ImageExport 7.0.0 has no default-renderer hook: <c>Chart.toBase64PNGString</c> and friends take an
/// <see cref="ExportEngine"/>, a union with the single case PuppeteerSharp whose <c>getEngine</c> always builds a
/// new <see cref="PuppeteerSharpRenderer"/> (a browser per image). So those calls cannot be routed here; resolve
/// <see cref="IGenericChartRenderer"/> from DI and call it instead (<c>renderer.RenderPNGAsync(800, 600, 2.0, chart)</c>).
/// The synchronous members block on the async ones, as the package's do; prefer the async ones in a server.
/// </remarks>
public sealed class PooledGenericChartRenderer(ChromiumRenderer renderer) : IGenericChartRenderer
{
    public async Task<string> RenderPNGAsync(int width, int height, double scale, GenericChart gChart) =>
        "data:image/png;base64," + await renderer.ToImageAsync(gChart, ImageFormat.Png, width, height, scale, CancellationToken.None);

    public async Task<string> RenderJPGAsync(int width, int height, double scale, GenericChart gChart) =>
        "data:image/jpeg;base64," + await renderer.ToImageAsync(gChart, ImageFormat.Jpeg, width, height, scale, CancellationToken.None);

    public Task<string> RenderSVGAsync(int width, int height, double scale, GenericChart gChart) =>
        renderer.ToImageAsync(gChart, ImageFormat.Svg, width, height, scale, CancellationToken.None);

    public string RenderPNG(int width, int height, double scale, GenericChart gChart) =>
        RenderPNGAsync(width, height, scale, gChart).GetAwaiter().GetResult();

    public string RenderJPG(int width, int height, double scale, GenericChart gChart) =>
        RenderJPGAsync(width, height, scale, gChart).GetAwaiter().GetResult();

    public string RenderSVG(int width, int height, double scale, GenericChart gChart) =>
        RenderSVGAsync(width, height, scale, gChart).GetAwaiter().GetResult();

    public Task<Unit> SavePNGAsync(string path, int width, int height, double scale, GenericChart gChart) =>
        SaveAsync($"{path}.png", ImageFormat.Png, width, height, scale, gChart);

    public Task<Unit> SaveJPGAsync(string path, int width, int height, double scale, GenericChart gChart) =>
        SaveAsync($"{path}.jpg", ImageFormat.Jpeg, width, height, scale, gChart);

    public Task<Unit> SaveSVGAsync(string path, int width, int height, double scale, GenericChart gChart) =>
        SaveAsync($"{path}.svg", ImageFormat.Svg, width, height, scale, gChart);

    public void SavePNG(string path, int width, int height, double scale, GenericChart gChart) =>
        SavePNGAsync(path, width, height, scale, gChart).GetAwaiter().GetResult();

    public void SaveJPG(string path, int width, int height, double scale, GenericChart gChart) =>
        SaveJPGAsync(path, width, height, scale, gChart).GetAwaiter().GetResult();

    public void SaveSVG(string path, int width, int height, double scale, GenericChart gChart) =>
        SaveSVGAsync(path, width, height, scale, gChart).GetAwaiter().GetResult();

    async Task<Unit> SaveAsync(string file, ImageFormat format, int width, int height, double scale, GenericChart chart)
    {
        var bytes = await renderer.RenderAsync(chart, format, width, height, scale);
        await File.WriteAllBytesAsync(file, bytes);
        return null!; // F#'s unit value is represented as null.
    }
}
