using ChartCraft.Infrastructure.Storage;
using StackExchange.Redis;

namespace ChartCraft.Features.Account;

/// <summary>The files of an account: everything under <c>{area}/{user id:N}/</c>, in every area.</summary>
public static class AccountFiles
{
    /// <summary>
    /// The areas the app writes per user today. Areas are also discovered from the storage's top-level folders, so one
    /// added later is covered; these are listed too because some S3-compatible servers (s3rver) list no folders at the
    /// bucket's root.
    /// </summary>
    static readonly string[] KnownAreas = ["uploads", "exports", "thumbnails"];

    public static async Task<int> DeleteAsync(IBlobStorage storage, Guid userId, CancellationToken ct)
    {
        var areas = KnownAreas.Concat(await storage.ListTopFoldersAsync(ct)).Distinct(StringComparer.Ordinal);
        var deleted = 0;
        foreach (var area in areas) deleted += await storage.DeletePrefixAsync($"{area}/{userId:N}/", ct);
        return deleted;
    }
}

/// <summary>The Redis keys of an account: every key under the app's prefix that names the user, one of its charts or sources.</summary>
public static class AccountRedisKeys
{
    /// <summary>
    /// One SCAN of the app's keys (not KEYS: it does not block Redis), matched against the ids in both their forms
    /// ("d" with dashes, "N" without), on every primary; then the charts leave the set of unflushed view counts.
    /// </summary>
    public static async Task<int> DeleteAsync(IConnectionMultiplexer redis, string prefix, RedisKey dirtyViewsKey, Guid userId,
        IReadOnlyCollection<Guid> ownedIds, IReadOnlyCollection<Guid> chartIds, CancellationToken ct)
    {
        var ids = ownedIds.Append(userId).SelectMany(id => new[] { id.ToString("D"), id.ToString("N") }).ToList();
        var db = redis.GetDatabase();
        var deleted = 0;
        foreach (var server in redis.GetServers().Where(s => s is { IsConnected: true, IsReplica: false }))
        {
            var batch = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(db.Database, prefix + "*", pageSize: 1000).WithCancellation(ct))
            {
                var name = key.ToString();
                if (ids.Any(id => name.Contains(id, StringComparison.OrdinalIgnoreCase))) batch.Add(key);
            }
            // One key per call: in a cluster the keys of one batch may live on different slots.
            foreach (var key in batch)
                if (await db.KeyDeleteAsync(key)) deleted++;
        }
        if (chartIds.Count > 0)
            await db.SetRemoveAsync(dirtyViewsKey, chartIds.SelectMany(id => new RedisValue[] { id.ToString(), id.ToString("N") }).ToArray());
        return deleted;
    }
}
