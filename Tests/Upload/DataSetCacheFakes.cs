using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ChartCraft.Tests.Upload;

/// <summary>Storage in memory that counts reads per key and can hold every read until released.</summary>
internal sealed class CountingStorage : IBlobStorage
{
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();
    readonly ConcurrentDictionary<string, int> _opens = new();
    TaskCompletionSource _gate = Open();
    int _inProgress, _maxInProgress;

    public int ReadsInProgress => Volatile.Read(ref _inProgress);
    public int MaxReadsInProgress => Volatile.Read(ref _maxInProgress);
    public int Opens(DataSource source) => _opens.GetValueOrDefault(source.StorageKey);
    public void ResetCounts() => _opens.Clear();
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    public void Release() => _gate.TrySetResult();

    public async Task WaitForReadsInProgressAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ReadsInProgress < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{ReadsInProgress} reads in progress, waited for {count}");
            await Task.Delay(10);
        }
    }

    static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }

    public string Kind => "counting";

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        _opens.AddOrUpdate(key, 1, (_, n) => n + 1);
        var now = Interlocked.Increment(ref _inProgress);
        int max;
        while (now > (max = _maxInProgress) && Interlocked.CompareExchange(ref _maxInProgress, now, max) != max) { }
        try
        {
            // Opened before the wait, as a file handle is: deleting the object then does not cut a read short.
            var stream = Files.TryGetValue(key, out var bytes) ? new MemoryStream(bytes, writable: false) : null;
            await _gate.Task;
            return stream;
        }
        finally
        {
            Interlocked.Decrement(ref _inProgress);
        }
    }

    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(Files.ContainsKey(key));
    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(Files.TryRemove(key, out _));
    public Task<IReadOnlyList<BlobInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DownloadLink> GetDownloadLinkAsync(string key, string fileName, string contentType, TimeSpan lifetime,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task CheckAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}

internal sealed class ManualClock : TimeProvider
{
    DateTimeOffset _now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
