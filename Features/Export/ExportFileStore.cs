using System.Security.Cryptography;
using System.Text;
using ChartCraft.Features.Charts;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Export;

/// <summary>
/// Where export files live and the one place that writes them, images and PDF reports alike: every image of a chart
/// under its chart's folder (so deleting the chart can find them all), named by revision and options so an image
/// already rendered is found again; a PDF report under its job's id.
/// </summary>
public sealed class ExportFileStore(IBlobStorage storage)
{
    public static string ChartFolder(Guid userId, Guid chartId) => $"exports/{userId:N}/{chartId:N}/";

    public static string ReportKey(Guid userId, Guid exportId) => $"exports/{userId:N}/reports/{exportId:N}.pdf";

    public static string ImageKey(Chart chart, ImageExportOptions options) =>
        $"{ChartFolder(chart.UserId, chart.Id)}r{chart.Revision}-{OptionsHash(options)}.{options.Format}";

    /// <summary>The stored image of this chart revision with these options, if one was rendered before.</summary>
    public async Task<StoredExport?> FindImageAsync(Chart chart, ImageExportOptions options, CancellationToken ct) =>
        await storage.GetInfoAsync(ImageKey(chart, options), ct) is { } existing
            ? Image(chart, options, existing.SizeBytes)
            : null;

    public async Task<StoredExport> StoreImageAsync(Chart chart, ImageExportOptions options, byte[] image, CancellationToken ct)
    {
        var stored = Image(chart, options, image.Length);
        await storage.PutAsync(stored.StorageKey, new MemoryStream(image), stored.ContentType, ct);
        return stored;
    }

    public async Task<StoredExport> StoreReportAsync(ExportJob job, byte[] pdf, CancellationToken ct)
    {
        var stored = new StoredExport(ReportKey(job.UserId, job.Id), ExportFormats.ContentType(ExportFormats.Pdf),
            BlobKeys.FileNameFromTitle(job.Title ?? "report", "pdf"), pdf.Length);
        await storage.PutAsync(stored.StorageKey, new MemoryStream(pdf), stored.ContentType, ct);
        return stored;
    }

    static StoredExport Image(Chart chart, ImageExportOptions options, long sizeBytes) =>
        new(ImageKey(chart, options), ExportFormats.ContentType(options.Format), BlobKeys.FileNameFromTitle(chart.Title, options.Format), sizeBytes);

    static string OptionsHash(ImageExportOptions o) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{o.Format}|{o.Width}|{o.Height}|{o.Dpi}|{o.Theme}|{o.Transparent}")))[..16];
}
