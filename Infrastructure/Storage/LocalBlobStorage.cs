using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Infrastructure.Storage;

/// <summary>Files under a local folder; downloads go through the app with an HMAC-signed, expiring link.</summary>
public sealed class LocalBlobStorage(StorageSettings settings, PublicUrls urls, DownloadLinkSigner signer) : IBlobStorage
{
    readonly string _root = Path.GetFullPath(settings.LocalPath);

    public string Kind => "local";

    string PathFor(string key)
    {
        var full = Path.GetFullPath(Path.Combine(_root, BlobKeys.Validate(key)));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Invalid storage key '{key}'", nameof(key));
        return full;
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write aside and move, so a reader never sees half a file.
        var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await content.CopyToAsync(file, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathFor(key);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true)
            : null;
        return Task.FromResult(stream);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathFor(key)));

    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathFor(key));
        return Task.FromResult(file.Exists ? new BlobInfo(key, file.Length, file.LastWriteTimeUtc) : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathFor(key));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<BlobInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        // Only the folder the prefix points into is walked, not the whole store.
        var folder = prefix.Contains('/') ? Path.Combine(_root, BlobKeys.Validate(prefix[..prefix.LastIndexOf('/')])) : _root;
        if (!Directory.Exists(folder)) return Task.FromResult<IReadOnlyList<BlobInfo>>([]);
        var items = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".partial", StringComparison.Ordinal))
            .Select(p => (Key: Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/'), Info: new FileInfo(p)))
            .Where(x => x.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(x => new BlobInfo(x.Key, x.Info.Length, x.Info.LastWriteTimeUtc))
            .OrderBy(x => x.Key, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<BlobInfo>>(items);
    }

    public Task<IReadOnlyList<string>> ListTopFoldersAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(Directory.Exists(_root)
            ? Directory.EnumerateDirectories(_root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : []);

    /// <summary>The folder goes as a whole, so no empty folder named after a user is left behind.</summary>
    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var folder = PathFor(IBlobStorage.FolderPrefix(prefix).TrimEnd('/'));
        if (!Directory.Exists(folder)) return 0;
        var count = (await ListAsync(prefix, cancellationToken)).Count;
        Directory.Delete(folder, recursive: true);
        return count;
    }

    public Task<DownloadLink> GetDownloadLinkAsync(string key, string fileName, string contentType, TimeSpan lifetime,
        CancellationToken cancellationToken = default)
    {
        BlobKeys.Validate(key);
        var expires = DateTimeOffset.UtcNow.Add(lifetime);
        var query = signer.Sign(key, BlobKeys.SafeFileName(fileName), contentType, expires);
        return Task.FromResult(new DownloadLink(new Uri(urls.To($"/api/files/{key}?{query}")),
            DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds())));
    }

    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_root);
        var probe = Path.Combine(_root, ".health-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(probe, "ok", cancellationToken);
        File.Delete(probe);
    }
}
