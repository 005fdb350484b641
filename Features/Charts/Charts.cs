namespace ChartCraft.Features.Charts;

/// <summary>Loading a user's chart; another user's chart is indistinguishable from a missing one.</summary>
public static class Charts
{
    public static Task<Chart> LoadOwnedChartAsync(this IQuerySession session, Guid chartId, Guid userId, CancellationToken ct) =>
        session.LoadOwnedAsync<Chart>(chartId, userId, NotFound, ct);

    /// <summary>The user's charts in the order asked (each once), loaded in one query; 404 names the first that is not theirs.</summary>
    public static async Task<IReadOnlyList<Chart>> LoadOwnedChartsAsync(this IQuerySession session, IEnumerable<Guid> chartIds, Guid userId,
        CancellationToken ct)
    {
        var ids = chartIds.Distinct().ToArray();
        var found = (await session.LoadManyAsync<Chart>(ct, ids)).Where(c => c.UserId == userId).ToDictionary(c => c.Id);
        return ids.Select(id => found.TryGetValue(id, out var chart) ? chart : throw NotFound(id)).ToList();
    }

    public static ProblemException NotFound(Guid chartId) => new(404, "Chart not found", $"No chart {chartId}.");

    /// <summary>The chart's view count as shown: the live count in Redis when there is one, else the durable one.</summary>
    public static async Task<long> ViewsAsync(this IQuerySession session, ChartReads reads, Guid chartId, CancellationToken ct)
    {
        var durable = (await session.LoadAsync<ChartViews>(chartId, ct))?.ViewCount ?? 0;
        return (await reads.LiveViewsAsync([chartId], new Dictionary<Guid, long> { [chartId] = durable }))[chartId];
    }
}
