namespace ChartCraft.Infrastructure.Persistence;

/// <summary>A document that belongs to one user: only that user may see, change or delete it.</summary>
public interface IOwnedDocument
{
    Guid UserId { get; }
}

/// <summary>A document that lists newest first: by creation time, then by id so that equal times page the same way every time.</summary>
public interface ICreatedDocument
{
    Guid Id { get; }
    DateTimeOffset CreatedAt { get; }
}

/// <summary>Loading and listing a user's documents, the same way in every feature.</summary>
public static class OwnedDocuments
{
    /// <summary>
    /// The user's document. Another user's document is answered exactly like a missing one (<paramref name="notFound"/>,
    /// a 404), so guessing ids tells nobody what exists.
    /// </summary>
    public static async Task<T> LoadOwnedAsync<T>(this IQuerySession session, Guid id, Guid userId, Func<Guid, ProblemException> notFound,
        CancellationToken ct) where T : class, IOwnedDocument
    {
        var document = await session.LoadAsync<T>(id, ct);
        return document is not null && document.UserId == userId ? document : throw notFound(id);
    }

    public static IQueryable<T> OwnedBy<T>(this IQueryable<T> documents, Guid userId) where T : class, IOwnedDocument =>
        documents.Where(d => d.UserId == userId);

    /// <summary>One page of the documents, newest first, and how many there are in all.</summary>
    public static Task<(IReadOnlyList<T> Items, long Total)> PageNewestFirstAsync<T>(this IQueryable<T> documents, PageRequest page,
        CancellationToken ct) where T : class, ICreatedDocument =>
        documents.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).PageAsync(page, ct);

    /// <summary>One page of the user's documents, newest first, and how many the user has in all.</summary>
    public static Task<(IReadOnlyList<T> Items, long Total)> PageOwnedAsync<T>(this IQuerySession session, Guid userId, PageRequest page,
        CancellationToken ct) where T : class, IOwnedDocument, ICreatedDocument =>
        session.Query<T>().OwnedBy(userId).PageNewestFirstAsync(page, ct);
}
