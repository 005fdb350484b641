using System.Reflection;

namespace ChartCraft.Infrastructure.Persistence;

/// <summary>
/// Every document type of the store that belongs to a user (<see cref="IOwnedDocument"/>), found from the store's
/// mappings: what "everything a user owns" means in Postgres, for deleting an account, without a list that each new
/// feature would have to remember to join. Types must be registered (<c>opts.Schema.For&lt;T&gt;()</c>), which every
/// feature does for its documents.
/// </summary>
public static class OwnedDocumentTypes
{
    static readonly MethodInfo DeleteAllOf = typeof(OwnedDocumentTypes).GetMethod(nameof(DeleteAllGeneric), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IReadOnlyList<Type> Of(IDocumentStore store) =>
        store.Options.AllKnownDocumentTypes().Select(t => t.DocumentType)
            .Where(t => typeof(IOwnedDocument).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Distinct().OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();

    /// <summary>Queues a hard delete (soft-deleted rows too) of every <paramref name="documentType"/> document of the user.</summary>
    public static void DeleteAll(IDocumentSession session, Type documentType, Guid userId) =>
        DeleteAllOf.MakeGenericMethod(documentType).Invoke(null, [session, userId]);

    static void DeleteAllGeneric<T>(IDocumentSession session, Guid userId) where T : class, IOwnedDocument =>
        session.HardDeleteWhere<T>(d => d.UserId == userId);
}
