namespace ChartCraft.Features.Upload;

/// <summary>
/// An uploaded file: who owns it, how it was read (encoding, delimiter, sheet — so a reload reads it the
/// same way), its shape and column metadata. The original bytes live in blob storage under <see cref="StorageKey"/>.
/// </summary>
public sealed class DataSource : IOwnedDocument, ICreatedDocument
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string FileName { get; set; } = "";
    public string FileType { get; set; } = "";
    public long SizeBytes { get; set; }
    public int RowCount { get; set; }
    public int ColumnCount { get; set; }
    public List<ColumnInfo> Columns { get; set; } = [];
    public string? Encoding { get; set; }
    public string? Delimiter { get; set; }
    public string? Sheet { get; set; }
    public List<string> Warnings { get; set; } = [];
    public string StorageKey { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A data source as the API shows it.</summary>
public sealed record DataSourceResponse(
    Guid DataSourceId,
    string FileName,
    string FileType,
    long SizeBytes,
    int RowCount,
    int ColumnCount,
    IReadOnlyList<ColumnInfo> ColumnInfo,
    string? Encoding,
    string? Delimiter,
    string? Sheet,
    IReadOnlyList<string> Warnings,
    DateTimeOffset CreatedAt)
{
    public static DataSourceResponse From(DataSource source) => new(source.Id, source.FileName, source.FileType,
        source.SizeBytes, source.RowCount, source.ColumnCount, source.Columns, source.Encoding, source.Delimiter,
        source.Sheet, source.Warnings, source.CreatedAt);
}
