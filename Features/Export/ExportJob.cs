namespace ChartCraft.Features.Export;

public static class ExportStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

public static class ExportFormats
{
    public const string Png = "png";
    public const string Svg = "svg";
    public const string Pdf = "pdf";
    /// <summary>Everything a user owns, as one zip (POST /api/account/export, built by the Account feature).</summary>
    public const string AccountZip = "account_zip";

    public static string ContentType(string format) => format switch
    {
        Png => "image/png",
        Svg => "image/svg+xml",
        AccountZip => "application/zip",
        _ => "application/pdf",
    };
}

/// <summary>
/// One export (an image or a PDF report) and where it is: queued, running, completed with its stored file,
/// or failed with a reason. Created in the same transaction as its RunExport message.
/// </summary>
public sealed class ExportJob : IOwnedDocument
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid? BatchId { get; set; }
    public string Format { get; set; } = ExportFormats.Png;
    public List<Guid> ChartIds { get; set; } = [];
    /// <summary>Image size, dpi, theme (images); the PDF uses its own layout.</summary>
    public ImageExportOptions Image { get; set; } = new();
    /// <summary>PDF report title.</summary>
    public string? Title { get; set; }
    public bool IncludeInsights { get; set; }
    /// <summary>What it costs the renderer (<see cref="ExportCost"/>); summed over a user's queued jobs for EXPORT_MAX_QUEUED_MEGAPIXELS_PER_USER.</summary>
    public double Megapixels { get; set; }
    public string Status { get; set; } = ExportStatuses.Queued;
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public string? StorageKey { get; set; }
    public string? FileName { get; set; }
    public long? SizeBytes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>After this the file may be deleted by the lifecycle job; the link is no longer offered.</summary>
    public DateTimeOffset? FilesExpireAt { get; set; }
}

/// <summary>An export as the API shows it; <c>download_url</c> works without a token until <c>expires_at</c>.</summary>
public sealed record ExportResponse(
    Guid ExportId,
    IReadOnlyList<Guid> ChartIds,
    string Format,
    string Status,
    string? DownloadUrl,
    DateTimeOffset? ExpiresAt,
    long? SizeBytes,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    Guid? BatchId);

/// <summary>Published through the outbox; its handler renders the export.</summary>
public sealed record RunExport(Guid ExportId);
