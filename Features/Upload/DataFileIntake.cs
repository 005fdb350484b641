using System.Security.Cryptography;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Upload;

/// <summary>A received file after it was read: its safe name, the parsed table and a hash of its bytes.</summary>
public sealed record IncomingData(ReceivedUpload File, string FileName, ParsedFile Parsed, string ContentHash)
{
    public long SizeBytes => File.SizeBytes;
}

/// <summary>
/// The one path from a received file (an upload, a replacement, a fetch from a URL) to a data source's content: the
/// name made safe, the file validated and parsed by content (413, 415, 422 as ProblemExceptions, nothing stored), the
/// original stored while its columns are described. A check that refuses a file before it is parsed (a plan's limit)
/// belongs in <see cref="ReadAsync"/>, so every way in gets it.
/// </summary>
public sealed class DataFileIntake(AppSettings app, IBlobStorage storage)
{
    public async Task<IncomingData> ReadAsync(ReceivedUpload file, CancellationToken ct)
    {
        var fileName = FileNames.Sanitize(file.FileName);
        // Parsing is CPU-bound and synchronous; keep it off the request thread's async continuation path.
        var parsed = await Task.Run(() => DataFileReader.Read(file.TempPath, fileName, file.Sheet,
            DataFileLimits.ForMaxFileBytes(app.MaxFileSizeBytes)), ct);
        return new IncomingData(file, fileName, parsed, await HashAsync(file.TempPath, ct));
    }

    /// <summary>Stores the original under <paramref name="storageKey"/> while describing its columns (CPU work and I/O overlap).</summary>
    public async Task<List<ColumnInfo>> StoreAsync(IncomingData data, string storageKey, CancellationToken ct)
    {
        var describe = Task.Run(() => data.Parsed.Data.Columns.Select(ColumnInfo.From).ToList(), ct);
        await using (var file = File.OpenRead(data.File.TempPath))
            await storage.PutAsync(storageKey, file, DataFileTypes.ContentType(data.Parsed.FileType), ct);
        return await describe;
    }

    /// <summary>
    /// Where a version's file is stored: under the owner's uploads, so everything a user owns is found by user id. A later
    /// version's key is unique per attempt: of two replacements racing for one version number, the loser deletes its own
    /// file, never the winner's.
    /// </summary>
    public static string StorageKeyFor(Guid userId, Guid sourceId, int version, string fileType) => version <= 1
        ? $"uploads/{userId:N}/{sourceId:N}.{fileType}"
        : $"uploads/{userId:N}/{sourceId:N}.v{version}-{Guid.NewGuid():N}.{fileType}";

    /// <summary>Makes <paramref name="data"/> the content of <paramref name="source"/> as <paramref name="version"/>.</summary>
    public static void Apply(DataSource source, IncomingData data, List<ColumnInfo> columns, string storageKey, int version, DateTimeOffset at)
    {
        // A source stored before versions existed gets its one file listed before the new one.
        if (source.Versions.Count == 0 && source.StorageKey.Length > 0) source.Versions.AddRange(source.VersionHistory());
        var parsed = data.Parsed;
        source.FileName = data.FileName;
        source.FileType = parsed.FileType;
        source.SizeBytes = data.SizeBytes;
        source.RowCount = parsed.Data.RowCount;
        source.ColumnCount = parsed.Data.Columns.Count;
        source.Columns = columns;
        source.Encoding = parsed.Encoding;
        source.Delimiter = parsed.Delimiter;
        source.Sheet = parsed.Sheet;
        source.Warnings = parsed.Warnings.ToList();
        source.StorageKey = storageKey;
        source.ContentHash = data.ContentHash;
        source.Version = version;
        source.Versions.Insert(0, new DataSourceVersion(version, data.FileName, parsed.FileType, data.SizeBytes, parsed.Data.RowCount,
            storageKey, at));
    }

    static async Task<string> HashAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
    }
}
