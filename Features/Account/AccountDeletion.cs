using ChartCraft.Features.Auth;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using StackExchange.Redis;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ChartCraft.Features.Account;

/// <summary>Durable message: delete everything user <paramref name="UserId"/> owns, then the user.</summary>
[MessageIdentity("ChartCraft.Features.Account.DeleteAccountData")]
public sealed record DeleteAccountData(Guid UserId, DateTimeOffset RequestedAt);

/// <summary>
/// Deletes an account's data from the three stores. Every step finds what is left by the user's id and deletes it, so a
/// retry, or a run on another instance after this one died midway, finishes the work; the user document goes last, in
/// the commit that marks the message handled, and a run with nothing left to delete changes nothing.
/// <list type="number">
/// <item>Files: every object under <c>{area}/{user id:N}/</c> in each top-level area of the storage (uploads, exports
/// and the account zips among them, and areas added later), without a list to keep up to date.</item>
/// <item>Redis: every key under REDIS_KEY_PREFIX that names the user or one of its charts or sources (view counters,
/// chart tokens, cached analyses, revocation and rate-limit markers), and the charts' entries in the set of unflushed
/// view counts.</item>
/// <item>Postgres, in one commit: the charts' event streams (hard-deleted with <c>TombstoneStream</c>, not archived),
/// their view counts, every document of every registered type that implements <see cref="IOwnedDocument"/> (found
/// from the store's mappings, so types added by other features are covered), and the user.</item>
/// </list>
/// A request made with a dead token after the deletion can write back the user's "gone" revocation marker: it names the
/// user's id, holds nothing else, and expires with the longest-lived access token.
/// </summary>
public static class DeleteAccountDataHandler
{
    public static readonly TimeSpan[] RetryDelays =
        [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    /// <summary>An outage of any store is waited out; the job is never given up on (it only moves to the dead letters after the last retry).</summary>
    public static void Configure(HandlerChain chain) => chain.OnAnyException().ScheduleRetry(RetryDelays);

    public static async Task Handle(DeleteAccountData message, IDocumentSession session, IBlobStorage storage, IConnectionMultiplexer redis,
        RedisSettings redisSettings, ChartReads chartReads, ILogger<DeleteAccountData> logger, CancellationToken ct)
    {
        var userId = message.UserId;
        var chartIds = await session.Query<Chart>().OwnedBy(userId).Select(c => c.Id).ToListAsync(ct);
        var ownedIds = new List<Guid>(chartIds);
        ownedIds.AddRange(await session.Query<DataSource>().OwnedBy(userId).Select(s => s.Id).ToListAsync(ct));

        var files = await AccountFiles.DeleteAsync(storage, userId, ct);
        var keys = await AccountRedisKeys.DeleteAsync(redis, redisSettings.KeyPrefix, chartReads.DirtyViewsKey, userId, ownedIds, chartIds, ct);

        foreach (var chartId in chartIds)
        {
            session.Events.TombstoneStream(chartId);
            session.Delete<ChartViews>(chartId);
        }
        var types = OwnedDocumentTypes.Of(session.DocumentStore);
        foreach (var type in types) OwnedDocumentTypes.DeleteAll(session, type, userId);
        session.Delete<User>(userId);
        // Saved by Wolverine with the message's completion (AutoApplyTransactions).
        logger.LogInformation("Account {UserId} deleted: {Files} file(s), {Keys} Redis key(s), {Charts} chart stream(s), {Types} document type(s) cleared",
            userId, files, keys, chartIds.Count, types.Count);
    }
}
