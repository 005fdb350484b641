using ChartCraft.Features.Messages;

namespace ChartCraft.Features.Charts;

/// <summary>Deleting a chart, for the owner's delete and for the delete of its data source alike.</summary>
public static class ChartDeletion
{
    /// <summary>
    /// Ends the chart's stream with <see cref="ChartDeleted"/> (the inline projection then deletes the document) and drops
    /// its view counts. Returns the <see cref="ChartRemoved"/> the caller must publish in the same commit.
    /// </summary>
    public static async Task<ChartRemoved> DeleteChartAsync(this IDocumentSession session, Guid chartId, Guid userId, string reason,
        DateTimeOffset at, CancellationToken ct)
    {
        await session.AppendAsync(chartId, new ChartDeleted(reason, at), ct);
        session.Delete<ChartViews>(chartId);
        session.DeleteWhere<ChartDayViews>(d => d.ChartId == chartId);
        return new ChartRemoved(chartId, userId, at);
    }
}
