namespace ChartCraft.Features.Upload;

/// <summary>Loading a user's data source; another user's source is indistinguishable from a missing one.</summary>
public static class DataSources
{
    public static Task<DataSource> LoadOwnedSourceAsync(this IQuerySession session, Guid sourceId, Guid userId, CancellationToken ct) =>
        session.LoadOwnedAsync<DataSource>(sourceId, userId, NotFound, ct);

    /// <summary>The storage keys of every source's files: current versions and the previous ones kept.</summary>
    public static async Task<HashSet<string>> StoredFilesAsync(IQuerySession session, CancellationToken ct)
    {
        var sources = await session.Query<DataSource>().Select(s => new { s.StorageKey, s.Versions }).ToListAsync(ct);
        return sources.SelectMany(s => s.Versions.Select(v => v.StorageKey).Append(s.StorageKey)).ToHashSet(StringComparer.Ordinal);
    }

    public static ProblemException NotFound(Guid sourceId) => new(404, "Data source not found", $"No data source {sourceId}.");
}
