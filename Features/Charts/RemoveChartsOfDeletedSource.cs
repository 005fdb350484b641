using ChartCraft.Features.Messages;
using Wolverine;

namespace ChartCraft.Features.Charts;

/// <summary>
/// A chart without its data cannot be redrawn, exported or refreshed, so deleting a source deletes its
/// charts (each stream ends with ChartDeleted and stays as history). Durable: runs after the delete commits,
/// and cascades one ChartRemoved per chart (committed with the deletes) so their exports go as well.
/// </summary>
public static class RemoveChartsOfDeletedSourceHandler
{
    public static async Task<OutgoingMessages> Handle(DataSourceDeleted message, IDocumentSession session, CancellationToken ct)
    {
        var chartIds = await session.Query<Chart>()
            .Where(c => c.DataSourceId == message.DataSourceId && c.UserId == message.UserId)
            .Select(c => c.Id)
            .ToListAsync(ct);
        var removed = new OutgoingMessages();
        foreach (var chartId in chartIds)
            removed.Add(await session.DeleteChartAsync(chartId, message.UserId, "data_source_deleted", message.At, ct));
        return removed;
    }
}
