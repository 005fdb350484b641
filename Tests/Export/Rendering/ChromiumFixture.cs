using ChartCraft.Features.Export.Rendering;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>
/// One warm renderer (Chromium + 2 plotly pages) shared by every test class that renders: starting Chromium
/// and parsing plotly.js cost seconds, a render ≈ 0.1 s.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public RenderingOptions Options { get; } = new() { PoolSize = 2 };
    public ChromiumRenderer Renderer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Renderer = new ChromiumRenderer(Options);
        await Renderer.WarmUpAsync();
    }

    public async Task DisposeAsync() => await Renderer.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Chromium";
}
