using System.Collections.Concurrent;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Tests.Account;

/// <summary>
/// The app's storage, with a gate on deleting one user's files: a test holds the gate to see what is true between the
/// 202 of DELETE /api/account and the job's work (which starts with the files), then releases it.
/// </summary>
public sealed class HeldStorage(IBlobStorage inner) : IBlobStorage
{
    readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();

    /// <summary>Deleting the user's files waits until the returned action is called.</summary>
    public Action Hold(Guid userId)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held[userId.ToString("N")] = gate;
        return () => gate.TrySetResult();
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        foreach (var (user, gate) in _held)
            if (prefix.Contains(user)) await gate.Task.WaitAsync(cancellationToken);
        return await inner.DeletePrefixAsync(prefix, cancellationToken);
    }

    public Task<IReadOnlyList<string>> ListTopFoldersAsync(CancellationToken cancellationToken = default) => inner.ListTopFoldersAsync(cancellationToken);
    public string Kind => inner.Kind;
    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default) =>
        inner.PutAsync(key, content, contentType, cancellationToken);
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);
    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    public Task<IReadOnlyList<BlobInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);
    public Task<DownloadLink> GetDownloadLinkAsync(string key, string fileName, string contentType, TimeSpan lifetime,
        CancellationToken cancellationToken = default) => inner.GetDownloadLinkAsync(key, fileName, contentType, lifetime, cancellationToken);
    public Task CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);
}
