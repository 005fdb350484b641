using System.Collections.Concurrent;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Export;
using ChartCraft.Infrastructure.Storage;
using Marten;

namespace ChartCraft.Tests.Support.Fakes;

/// <summary>
/// Stands in for the export feature's renderer in newsletter tests (no Chromium): checks ownership like the
/// real one (404 for another user's chart), stores a PNG of the asked pixel size carrying the chart id, and
/// remembers what it was asked.
/// </summary>
public sealed class FakeChartImageExporter(IDocumentStore store, IBlobStorage storage) : IChartImageExporter
{
    public ConcurrentQueue<(Guid ChartId, Guid UserId, ImageExportOptions Options)> Calls { get; } = new();

    public async Task<StoredExport> ExportImageAsync(Guid chartId, Guid userId, ImageExportOptions options, CancellationToken ct)
    {
        await using (var session = store.QuerySession())
            await session.LoadOwnedChartAsync(chartId, userId, ct);
        Calls.Enqueue((chartId, userId, options));
        // Pixel size = size × dpi / 96, as ImageExportOptions documents.
        var png = TestPng.Create(options.Width * options.Dpi / 96, options.Height * options.Dpi / 96, $"chart:{chartId}");
        var key = $"exports/{userId:N}/{chartId:N}-{Guid.NewGuid():N}.png";
        using (var stream = new MemoryStream(png)) await storage.PutAsync(key, stream, "image/png", ct);
        return new StoredExport(key, "image/png", "chart.png", png.Length);
    }
}
