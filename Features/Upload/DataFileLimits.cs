namespace ChartCraft.Features.Upload;

/// <summary>How large an uploaded file, and what a spreadsheet inside it, may be before it is refused.</summary>
/// <param name="MaxFileBytes">The upload limit (MAX_FILE_SIZE_MB); larger files are refused with 413.</param>
/// <param name="MaxUncompressedBytes">The total size the parts of an .xlsx (a zip) may expand to.</param>
/// <param name="MaxZipEntries">The number of parts an .xlsx may hold; real workbooks have tens.</param>
/// <param name="MaxColumns">The widest table accepted; charts and previews are not built for more.</param>
public sealed record DataFileLimits(long MaxFileBytes, long MaxUncompressedBytes, int MaxZipEntries, int MaxColumns = 1000)
{
    const long MiB = 1024 * 1024;

    /// <summary>
    /// Limits for an upload limit: an .xlsx may expand to 50× the upload limit but never beyond 200 MiB,
    /// because MiniExcel allocates several times the expanded size while it reads (≈ 2.4 GiB for a 12 MiB workbook).
    /// </summary>
    public static DataFileLimits ForMaxFileBytes(long maxFileBytes) =>
        new(maxFileBytes, Math.Min(50 * maxFileBytes, 200 * MiB), 10_000);

    /// <summary>The limits of the default MAX_FILE_SIZE_MB (10).</summary>
    public static DataFileLimits Default { get; } = ForMaxFileBytes(10 * MiB);
}
