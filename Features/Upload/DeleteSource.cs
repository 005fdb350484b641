using ChartCraft.Features.Messages;
using ChartCraft.Infrastructure.Storage;
using Wolverine.Marten;

namespace ChartCraft.Features.Upload;

/// <summary>Deletes a data source document, its stored files (every kept version) and (through a message) its charts.</summary>
public sealed class DeleteSourceEndpoint(IDocumentStore store, IMartenOutbox outbox, IBlobStorage storage, DataSetCache cache,
    TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/data/sources/{source_id:guid}");
        Description(d => d.WithTags("Data sources").Produces(204).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Delete a data source and its file");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.OpenOutboxSession(outbox);
        var source = await session.LoadOwnedSourceAsync(Route<Guid>("source_id"), User.UserId(), ct);
        session.Delete(source);
        // Its charts go too, through a durable message committed with this delete.
        await outbox.PublishAsync(new DataSourceDeleted(source.Id, source.UserId, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        // The document goes first: a blob left by a failed delete is an orphan the lifecycle job removes,
        // while a document without its blob would be a broken source.
        try
        {
            // Every kept version's file, not only the current one.
            foreach (var key in source.StorageKeys()) await storage.DeleteAsync(key, ct);
        }
        finally
        {
            // After the file: a reload racing this delete either finds no file or is detached by Remove.
            cache.Remove(source.Id);
        }
        await Send.NoContentAsync(ct);
    }
}
