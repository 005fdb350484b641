using ChartCraft.Features.Upload;
using Marten;

namespace ChartCraft.Features.Charts;

/// <summary>
/// A chart without its data cannot be redrawn, exported or refreshed, so deleting a source deletes its
/// charts (each stream ends with ChartDeleted and stays as history). Durable: runs after the delete commits.
/// </summary>
public static class RemoveChartsOfDeletedSourceHandler
{
    public static async Task Handle(DataSourceDeleted message, IDocumentSession session, CancellationToken ct)
    {
        var chartIds = await session.Query<Chart>()
            .Where(c => c.DataSourceId == message.DataSourceId && c.UserId == message.UserId)
            .Select(c => c.Id)
            .ToListAsync(ct);
        foreach (var chartId in chartIds)
        {
            await session.AppendAsync(chartId, new ChartDeleted("data_source_deleted", message.At), ct);
            session.Delete<ChartViews>(chartId);
        }
    }
}
