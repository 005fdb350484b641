namespace ChartCraft.Features.Upload;

/// <summary>Loading a user's data source; another user's source is indistinguishable from a missing one.</summary>
public static class DataSources
{
    public static Task<DataSource> LoadOwnedSourceAsync(this IQuerySession session, Guid sourceId, Guid userId, CancellationToken ct) =>
        session.LoadOwnedAsync<DataSource>(sourceId, userId, NotFound, ct);

    public static ProblemException NotFound(Guid sourceId) => new(404, "Data source not found", $"No data source {sourceId}.");
}
