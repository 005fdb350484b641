using Wolverine.Marten;

namespace ChartCraft.Infrastructure.Persistence;

/// <summary>Document changes and the messages they cause, committed together.</summary>
public static class OutboxSessions
{
    /// <summary>
    /// A lightweight session with Wolverine's Marten outbox enrolled: a message published through
    /// <paramref name="outbox"/> is stored by the session's <c>SaveChangesAsync</c>, in the same transaction as the
    /// documents, and sent only once that commits. Enrolled at once, so no message can be published before it is.
    /// </summary>
    public static IDocumentSession OpenOutboxSession(this IDocumentStore store, IMartenOutbox outbox)
    {
        var session = store.LightweightSession();
        outbox.Enroll(session);
        return session;
    }

    /// <summary>
    /// Saves a background job's progress (e.g. "running") in a session of its own, visible at once. A save in the
    /// handler's own session would also mark the message handled (Wolverine's inbox commits with it), so an instance
    /// dying after it would leave the job unfinished for ever instead of another instance taking it over
    /// (ClusterPublishDrillTests).
    /// </summary>
    public static async Task SaveProgressAsync<T>(this IDocumentStore store, T job, CancellationToken ct) where T : notnull
    {
        await using var progress = store.LightweightSession();
        progress.Store(job);
        await progress.SaveChangesAsync(ct);
    }
}
