using ChartCraft.Features.Messages;
using ChartCraft.Features.Plans;
using ChartCraft.Infrastructure.Storage;
using Wolverine.Marten;

namespace ChartCraft.Features.Upload;

/// <summary>The last step of making a source (an upload, a URL source): its file is stored, its record not yet.</summary>
public static class NewSource
{
    /// <summary>
    /// Saves the source under the plan's limits and announces it (<c>data_source.created</c>) in one commit. On any
    /// failure (a plan limit is 403) the stored file is removed: a source either fully lands or leaves nothing.
    /// </summary>
    public static async Task SaveAsync(DataSource source, IDocumentStore store, IMartenOutbox outbox, PlanEnforcement plans,
        IBlobStorage storage, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            await using var session = store.OpenOutboxSession(outbox);
            // Under a per-user lock held until the commit.
            await plans.EnsureCanAddSourceAsync(session, source.UserId, source.SizeBytes, ct);
            session.Store(source);
            await outbox.PublishAsync(new WebhookEvent(source.UserId, WebhookEventTypes.DataSourceCreated, new Dictionary<string, object?>
            {
                ["data_source_id"] = source.Id, ["file_name"] = source.FileName, ["row_count"] = source.RowCount,
                ["column_count"] = source.ColumnCount,
            }, at));
            await session.SaveChangesAsync(ct);
        }
        catch
        {
            await storage.DeleteAsync(source.StorageKey, CancellationToken.None);
            throw;
        }
    }
}
