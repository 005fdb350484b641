using ChartCraft.Infrastructure.Errors;
using Marten;

namespace ChartCraft.Features.Charts;

/// <summary>Loading a user's chart; another user's chart is indistinguishable from a missing one.</summary>
public static class Charts
{
    public static async Task<Chart> LoadOwnedChartAsync(this IQuerySession session, Guid chartId, Guid userId, CancellationToken ct)
    {
        var chart = await session.LoadAsync<Chart>(chartId, ct);
        return chart is not null && chart.UserId == userId ? chart : throw NotFound(chartId);
    }

    public static ProblemException NotFound(Guid chartId) => new(404, "Chart not found", $"No chart {chartId}.");

    public static async Task<long> ViewsAsync(this IQuerySession session, Guid chartId, CancellationToken ct) =>
        (await session.LoadAsync<ChartViews>(chartId, ct))?.ViewCount ?? 0;
}
