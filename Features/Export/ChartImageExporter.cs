namespace ChartCraft.Features.Export;

/// <summary>How an image export looks: pixel size before the dpi scale, dpi (PNG pixels = size × dpi / 96), theme, background.</summary>
public sealed record ImageExportOptions(
    string Format = "png",
    int Width = 800,
    int Height = 600,
    int Dpi = 96,
    string Theme = "light",
    bool Transparent = false);

/// <summary>An exported file in blob storage.</summary>
public sealed record StoredExport(string StorageKey, string ContentType, string FileName, long SizeBytes);

/// <summary>
/// Renders a user's chart as PNG or SVG into blob storage, reusing the stored file when the same chart
/// revision was already exported with the same options. The export feature's public API for other
/// features (newsletter publishing).
/// </summary>
public interface IChartImageExporter
{
    /// <summary>404 ProblemException when the chart does not exist or is not the user's.</summary>
    Task<StoredExport> ExportImageAsync(Guid chartId, Guid userId, ImageExportOptions options, CancellationToken ct);
}
