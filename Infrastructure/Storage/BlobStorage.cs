using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChartCraft.Infrastructure.Storage;

/// <summary>A stored object as listed by the storage.</summary>
public sealed record BlobInfo(string Key, long SizeBytes, DateTimeOffset LastModified);

/// <summary>A link that downloads one object without a bearer token until it expires.</summary>
public sealed record DownloadLink(Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// Where files live: uploads, exports. Keys are relative paths made by the app ("uploads/{user}/{id}.csv"),
/// never from user input; implementations reject anything that could escape their root.
/// </summary>
public interface IBlobStorage
{
    string Kind { get; }
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);
    /// <summary>The object's bytes, or null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);
    /// <summary>Size and time of one object, or null when it does not exist.</summary>
    Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default);
    /// <summary>Deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<BlobInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// The top-level folders ("uploads", "exports", ...): every area a feature keeps files in, so that what one user
    /// owns ("{area}/{user id:N}/") can be found without a list of areas kept by hand.
    /// </summary>
    async Task<IReadOnlyList<string>> ListTopFoldersAsync(CancellationToken cancellationToken = default) =>
        (await ListAsync("", cancellationToken)).Select(b => b.Key.Split('/')[0]).Where(f => f.Length > 0)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/> (a folder: ends with "/"); returns how many.</summary>
    async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var objects = await ListAsync(FolderPrefix(prefix), cancellationToken);
        foreach (var blob in objects) await DeleteAsync(blob.Key, cancellationToken);
        return objects.Count;
    }

    /// <summary>Refuses an empty or unsafe prefix, and one that is not a folder ("exports/ab" would also match "exports/abc/").</summary>
    static string FolderPrefix(string prefix) =>
        prefix.EndsWith('/') && prefix.Length > 1 ? BlobKeys.Validate(prefix.TrimEnd('/')) + "/"
            : throw new ArgumentException($"Not a folder prefix: '{prefix}'", nameof(prefix));
    /// <summary>A presigned (S3) or app-signed (local) link serving the object as <paramref name="fileName"/>.</summary>
    Task<DownloadLink> GetDownloadLinkAsync(string key, string fileName, string contentType, TimeSpan lifetime,
        CancellationToken cancellationToken = default);
    /// <summary>Throws when the storage cannot be reached or written; used by /health/ready.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}

/// <summary>The storage service could not be reached (or said it is overloaded): the request may be retried (503).</summary>
public sealed class StorageUnavailableException(Exception inner) : Exception("The file storage cannot be reached", inner);

public static partial class BlobKeys
{
    [GeneratedRegex(@"^[A-Za-z0-9_\-][A-Za-z0-9_\-./]{0,511}$")]
    private static partial Regex SafeKey();

    /// <summary>Refuses keys that are absolute, climb out with "..", or hold unexpected characters.</summary>
    public static string Validate(string key)
    {
        if (!SafeKey().IsMatch(key) || key.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"Invalid storage key '{key}'", nameof(key));
        return key;
    }

    /// <summary>A download name from a title ("Sales / Q1" → "Sales - Q1.png"): slashes are words here, not folders.</summary>
    public static string FileNameFromTitle(string title, string extension) =>
        SafeFileName(title.Replace('/', '-').Replace('\\', '-') + "." + extension, "chart." + extension);

    /// <summary>
    /// A file name safe for Content-Disposition: no path, no quoting characters, and no control (Cc) or format (Cf)
    /// characters. Format characters are invisible: a right-to-left override (U+202E) makes "report\u202Egnp.exe"
    /// display as "reportexe.png", and zero-width spaces or bidi isolates (U+2066–U+2069) hide what a name really is.
    /// </summary>
    public static string SafeFileName(string name, string fallback = "download")
    {
        // By rune, not by char: some format characters (the U+E00xx tags) lie outside the BMP.
        var cleaned = string.Concat(Path.GetFileName(name.Replace('\\', '/')).EnumerateRunes()
            .Where(r => !IsInvisible(r) && r.Value is not ('"' or '/' or '\\' or ';' or ':' or '*' or '?' or '<' or '>' or '|'))
            .Select(r => r.ToString())).Trim().Trim('.');
        if (cleaned.Length > 150) cleaned = cleaned[..(char.IsHighSurrogate(cleaned[149]) ? 149 : 150)]; // never half an emoji
        return cleaned.Length == 0 ? fallback : cleaned;
    }

    /// <summary>Controls, format characters (bidi overrides and isolates, zero-width ones) and line or paragraph separators.</summary>
    static bool IsInvisible(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
