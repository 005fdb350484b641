using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Hosting;
using Marten.Patching;
using Wolverine;

namespace ChartCraft.Features.Upload;

/// <summary>Fetch one URL-backed source now (sent by <see cref="SourceRefreshSchedule"/> for each due source).</summary>
public sealed record RefreshDataSource(Guid DataSourceId);

/// <summary>
/// Refreshing a source from its URL: a changed file (not 304, another content hash) becomes the next version through
/// <see cref="SourceVersions"/>; an unchanged one only records the fetch; a failure records <c>last_fetch_error</c> and keeps
/// the data as it was.
/// </summary>
public sealed class SourceRefresh(SourceFetcher fetcher, DataFileIntake intake, SourceVersions versions, TimeProvider clock)
{
    /// <summary>The first fetch, for a create: the file read and validated (ProblemException 413/415/422 as an upload), or
    /// SourceFetchException.</summary>
    public async Task<(FetchedFile Fetched, IncomingData Data)> FetchFirstAsync(string url, string? name, CancellationToken ct)
    {
        var fetched = await fetcher.FetchAsync(url, null, null, ct);
        try
        {
            var data = await intake.ReadAsync(fetched.File!, ct);
            return (fetched, name is null ? data : data with { FileName = NamedLike(name, data.Parsed.FileType) });
        }
        catch
        {
            fetched.Dispose();
            throw;
        }
    }

    public async Task RefreshAsync(IDocumentSession session, IMessageBus bus, DataSource source, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        source.LastFetchedAt = now;
        source.NextFetchAt = now.AddMinutes(source.RefreshMinutes ?? DataSourceSettings.MinRefreshMinutes);
        try
        {
            using var fetched = await fetcher.FetchAsync(source.SourceUrl!, source.ETag, source.LastModified, ct);
            (source.ETag, source.LastModified) = (fetched.ETag, fetched.LastModified);
            source.LastFetchError = null;
            if (!fetched.NotModified)
            {
                var data = await intake.ReadAsync(fetched.File!, ct);
                if (data.ContentHash != source.ContentHash)
                {
                    // Keeps the name the user gave the source.
                    await versions.AddVersionAsync(session, bus, source, data with { FileName = NamedLike(source.FileName, data.Parsed.FileType) }, ct);
                    return;
                }
            }
        }
        catch (SourceFetchException failed)
        {
            source.LastFetchError = failed.Message;
        }
        catch (ProblemException unusable)
        {
            source.LastFetchError = $"the file cannot be used: {unusable.Detail ?? unusable.Title}";
        }
        session.Store(source);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>A name the user chose, with the extension of what the file turned out to be (reloads read it by its name).</summary>
    public static string NamedLike(string name, string fileType)
    {
        var safe = FileNames.Sanitize(name);
        return DataFileTypes.FromFileName(safe) == fileType ? safe : $"{Path.GetFileNameWithoutExtension(safe)}.{fileType}";
    }
}

/// <summary>Fetches one due source; durable, so a refresh that was due survives a restart.</summary>
public static class RefreshDataSourceHandler
{
    public static async Task Handle(RefreshDataSource message, IDocumentSession session, IMessageContext bus, SourceRefresh refresh,
        CancellationToken ct)
    {
        var source = await session.LoadAsync<DataSource>(message.DataSourceId, ct);
        if (source?.SourceUrl is null) return; // deleted since it was due
        await refresh.RefreshAsync(session, bus, source, ct);
    }
}

/// <summary>
/// Every SOURCE_REFRESH_SWEEP_MINUTES (0: off), on one instance of the cluster per interval, sends one
/// <see cref="RefreshDataSource"/> per source whose next fetch is due, and moves its next fetch on by its interval in the same
/// commit (outbox): a source is fetched once per interval however many instances run, and a slow fetch is not sent twice.
/// </summary>
public sealed class SourceRefreshSchedule(IServiceProvider services, DataSourceSettings settings, IntervalClaims claims,
    TimeProvider clock, ILogger<SourceRefreshSchedule> logger)
    : OncePerIntervalJob(settings.SweepInterval, claims, clock, logger)
{
    /// <summary>Sources sent per sweep at most; the rest are due at the next sweep.</summary>
    const int BatchSize = 500;

    protected override string Name => "Data source refresh";

    protected override string Key => "source-refresh";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        settings.SweepInterval == TimeSpan.Zero ? Task.CompletedTask : base.ExecuteAsync(stoppingToken);

    protected override Task RunOnceAsync(CancellationToken ct) => SendDueAsync(ct);

    /// <summary>Sends the due sources' refreshes; the count sent.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<Wolverine.Marten.IMartenOutbox>();
        await using var session = scope.ServiceProvider.GetRequiredService<IDocumentStore>().OpenOutboxSession(outbox);
        var now = clock.GetUtcNow();
        var due = await session.Query<DataSource>()
            .Where(s => s.SourceUrl != null && s.NextFetchAt <= now)
            .OrderBy(s => s.NextFetchAt)
            .Select(s => new { s.Id, s.RefreshMinutes })
            .Take(BatchSize)
            .ToListAsync(ct);
        foreach (var source in due)
        {
            session.Patch<DataSource>(source.Id).Set(s => s.NextFetchAt, now.AddMinutes(source.RefreshMinutes ?? DataSourceSettings.MinRefreshMinutes));
            await outbox.PublishAsync(new RefreshDataSource(source.Id));
        }
        await session.SaveChangesAsync(ct);
        return due.Count;
    }
}
