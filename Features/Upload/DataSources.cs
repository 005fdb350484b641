using ChartCraft.Infrastructure.Errors;
using Marten;

namespace ChartCraft.Features.Upload;

/// <summary>Loading a user's data source; another user's source is indistinguishable from a missing one.</summary>
public static class DataSources
{
    public static async Task<DataSource> LoadOwnedSourceAsync(this IQuerySession session, Guid sourceId, Guid userId, CancellationToken ct)
    {
        var source = await session.LoadAsync<DataSource>(sourceId, ct);
        return source is not null && source.UserId == userId
            ? source
            : throw new ProblemException(404, "Data source not found", $"No data source {sourceId}.");
    }
}
