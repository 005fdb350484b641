using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using StackExchange.Redis;

namespace ChartCraft.Infrastructure.Persistence;

/// <summary>One ASP.NET Data Protection key, as the XML the key manager wrote.</summary>
public sealed class DataProtectionKey
{
    /// <summary>The key manager's friendly name ("key-{guid}"), unique per key.</summary>
    public string Id { get; set; } = "";
    public string Xml { get; set; } = "";
    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>
/// Keeps the Data Protection key ring in PostgreSQL, next to the data it encrypts (integration credentials, webhook
/// secrets): it is durable, shared by every instance and backed up with the database. Redis held it before; a Redis
/// without persistence lost it on restart, and with it every stored credential. Keys still found there are copied
/// over once, on the first read that finds PostgreSQL empty.
/// The key manager calls this rarely (at start-up and when the ring is due for a refresh), so the synchronous
/// interface costs no request a database trip. Marten's API is asynchronous only; ASP.NET Core has no
/// synchronization context, so blocking on it here cannot deadlock.
/// </summary>
public sealed class MartenXmlRepository(IDocumentStore store, Func<IConnectionMultiplexer> redis, string legacyRedisKey)
    : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using (var session = store.QuerySession())
        {
            var stored = session.Query<DataProtectionKey>().OrderBy(k => k.StoredAt).ToListAsync().GetAwaiter().GetResult();
            if (stored.Count > 0) return stored.Select(k => XElement.Parse(k.Xml)).ToList();
        }
        return CopyKeysLeftInRedis();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var session = store.LightweightSession();
        session.Store(new DataProtectionKey
        {
            Id = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
            StoredAt = DateTimeOffset.UtcNow,
        });
        session.SaveChangesAsync().GetAwaiter().GetResult();
    }

    /// <summary>The keys an earlier version kept in Redis (a list of XML strings), now stored in PostgreSQL.</summary>
    List<XElement> CopyKeysLeftInRedis()
    {
        RedisValue[] legacy;
        try
        {
            legacy = redis().GetDatabase().ListRange(legacyRedisKey);
        }
        catch (RedisException)
        {
            return [];
        }
        var elements = legacy.Where(v => v.HasValue).Select(v => XElement.Parse(v.ToString())).ToList();
        foreach (var element in elements)
            StoreElement(element, (string?)element.Attribute("id") is { } id ? "key-" + id : Guid.NewGuid().ToString());
        return elements;
    }
}
