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
    /// The last row a worksheet may use or declare. Excel's grid ends at 1 048 576; a sheet that reaches that far is
    /// either a crafted one or a full grid no chart is drawn from, and a row element that far makes the reader emit
    /// a million empty rows before the first check.
    /// </summary>
    public int MaxRows { get; init; } = 1_000_000;

    /// <summary>
    /// The largest area (rows × columns) a worksheet may read or declare (its dimension, a merged range). The densest
    /// CSV within the upload limit has one cell per byte (an empty field is one separator), so a workbook may hold
    /// no larger a table than a CSV; capped at 20 million because reading costs tens of bytes per cell whatever the
    /// upload limit.
    /// </summary>
    public long MaxCells { get; init; } = 10 * MiB;

    /// <summary>
    /// The cells one merged range may span. Real merges are titles across a table or a label down a group (tens to
    /// hundreds of cells); a range of millions exists only to make a reader fill them.
    /// </summary>
    public int MaxCellsPerMerge { get; init; } = 10_000;

    /// <summary>Merged ranges a worksheet may declare; each is kept while the sheet is read. Real sheets have tens, reports hundreds.</summary>
    public int MaxMergedRanges { get; init; } = 100_000;

    /// <summary>
    /// Limits for an upload limit: an .xlsx may expand to 50× the upload limit but never beyond 200 MiB,
    /// because MiniExcel allocates several times the expanded size while it reads (≈ 2.4 GiB for a 12 MiB workbook).
    /// </summary>
    public static DataFileLimits ForMaxFileBytes(long maxFileBytes) =>
        new(maxFileBytes, Math.Min(50 * maxFileBytes, 200 * MiB), 10_000) { MaxCells = Math.Min(maxFileBytes, 20_000_000) };

    /// <summary>The limits of the default MAX_FILE_SIZE_MB (10).</summary>
    public static DataFileLimits Default { get; } = ForMaxFileBytes(10 * MiB);
}
