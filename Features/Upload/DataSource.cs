namespace ChartCraft.Features.Upload;

/// <summary>
/// An uploaded (or fetched) file: who owns it, how it was read (encoding, delimiter, sheet — so a reload reads it the
/// same way), its shape and column metadata. The original bytes of the current version live in blob storage under
/// <see cref="StorageKey"/>; a new file (a replacement or a fetch from <see cref="SourceUrl"/>) is a new
/// <see cref="Version"/> of the same source, and the files of the previous SOURCE_VERSIONS_KEPT versions are kept.
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

    /// <summary>1 for the first file, one more for each replacement. Sources stored before versions existed read as 1.</summary>
    public int Version { get; set; } = 1;
    /// <summary>SHA-256 of the current file, so a fetch that brings the same bytes makes no new version.</summary>
    public string? ContentHash { get; set; }
    /// <summary>The current version and the previous ones whose files are still stored, newest first.</summary>
    public List<DataSourceVersion> Versions { get; set; } = [];

    /// <summary>Where the file is fetched from, for a source that refreshes itself; null for an uploaded file.</summary>
    public string? SourceUrl { get; set; }
    public int? RefreshMinutes { get; set; }
    public DateTimeOffset? LastFetchedAt { get; set; }
    /// <summary>Why the last fetch failed (null when it succeeded); the previous data is kept.</summary>
    public string? LastFetchError { get; set; }
    /// <summary>When the refresh sweep fetches it next.</summary>
    public DateTimeOffset? NextFetchAt { get; set; }
    /// <summary>The validators of the last successful fetch, sent back as If-None-Match / If-Modified-Since.</summary>
    public string? ETag { get; set; }
    public string? LastModified { get; set; }

    /// <summary>The identity of this version's content, for cache keys: a cached result of an older version never answers for a newer one.</summary>
    public string ContentKey => $"{Id:N}.v{Version}";

    /// <summary>The version list, newest first (a source stored before versions existed lists its one file).</summary>
    public IReadOnlyList<DataSourceVersion> VersionHistory() => Versions.Count > 0
        ? Versions
        : [new DataSourceVersion(Version, FileName, FileType, SizeBytes, RowCount, StorageKey, CreatedAt)];

    /// <summary>Every stored file of the source: the current one and the kept previous versions.</summary>
    public IEnumerable<string> StorageKeys() => VersionHistory().Select(v => v.StorageKey).Append(StorageKey).Distinct();
}

/// <summary>One version of a data source's file.</summary>
public sealed record DataSourceVersion(int Version, string FileName, string FileType, long SizeBytes, int RowCount, string StorageKey,
    DateTimeOffset CreatedAt);

/// <summary>A data source as the API shows it; the fetch fields are null for an uploaded file.</summary>
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
    DateTimeOffset CreatedAt,
    int Version,
    string? SourceUrl,
    int? RefreshMinutes,
    DateTimeOffset? LastFetchedAt,
    string? LastFetchError,
    DateTimeOffset? NextFetchAt)
{
    public static DataSourceResponse From(DataSource source) => new(source.Id, source.FileName, source.FileType,
        source.SizeBytes, source.RowCount, source.ColumnCount, source.Columns, source.Encoding, source.Delimiter,
        source.Sheet, source.Warnings, source.CreatedAt, source.Version, source.SourceUrl, source.RefreshMinutes,
        source.LastFetchedAt, source.LastFetchError, source.NextFetchAt);
}
