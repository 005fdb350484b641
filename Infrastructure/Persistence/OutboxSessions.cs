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
}
