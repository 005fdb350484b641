using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Hosting;
using ChartCraft.Infrastructure.Observability;
using Marten.Services;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace ChartCraft.Features.Auth;

/// <summary>How long an instance may trust what it last read about a session (AUTH_REVOCATION_CACHE_SECONDS).</summary>
public sealed record SessionRevocationSettings(TimeSpan LocalCacheLifetime)
{
    public static SessionRevocationSettings Load(IConfiguration config) =>
        new(TimeSpan.FromSeconds(SettingValues.Int(config, "AUTH_REVOCATION_CACHE_SECONDS", 5, 0, 60)));
}

/// <summary>
/// Ends access tokens together with their session. Every access token names its refresh family (<c>sid</c>) and
/// the user's token generation (<c>gen</c>); a request is refused when the family was revoked (logout, replay),
/// the user is inactive or gone, or the generation has moved on (a password change bumps it).
/// <para>
/// The markers live in Redis, shared by every instance, for longer than an access token lives; each instance
/// trusts what it read for <see cref="SessionRevocationSettings.LocalCacheLifetime"/> at most. Postgres stays the
/// truth: user markers missing from Redis are filled from the user document, revoked families are written again
/// from the refresh-token documents when Redis has lost them, and while Redis is unreachable the check asks
/// Postgres directly — answers stay right, only slower (neither fail-open nor fail-closed).
/// </para>
/// </summary>
public sealed class SessionRevocations(IConnectionMultiplexer redis, RedisSettings redisSettings, JwtSettings jwt,
    SessionRevocationSettings settings, IDocumentStore store, TimeProvider clock, ILogger<SessionRevocations> logger)
    : IAccessTokenRevocation
{
    public const string SessionClaim = "sid";
    public const string GenerationClaim = "gen";
    const string Inactive = "inactive";
    const string Gone = "gone";

    readonly MemoryCache _local = new(new MemoryCacheOptions { SizeLimit = 200_000 });
    // Marker writes that failed while Redis was away, written again by the re-warm job once it is back.
    readonly ConcurrentDictionary<Guid, string> _pendingSessions = new();
    readonly ConcurrentDictionary<Guid, byte> _pendingUsers = new();
    DateTime _nextFallbackWarning = DateTime.MinValue;

    /// <summary>Longer than any access token can live, counting the validator's clock skew, so no marker ends before its tokens.</summary>
    public TimeSpan MarkerLifetime => jwt.AccessTokenLifetime + TimeSpan.FromMinutes(5);

    string SessionKey(Guid sessionId) => $"{redisSettings.KeyPrefix}auth:session-revoked:{sessionId:N}";
    string UserKey(Guid userId) => $"{redisSettings.KeyPrefix}auth:user-tokens:{userId:N}";
    string LoadedKey => $"{redisSettings.KeyPrefix}auth:revocations-loaded";

    /// <summary>The marker value for a user document: what every instance needs to judge that user's tokens.</summary>
    static string MarkerOf(User? user) => user is null ? Gone : !user.IsActive ? Inactive : user.TokenGeneration.ToString(CultureInfo.InvariantCulture);

    public async ValueTask<bool> IsRevokedAsync(ClaimsPrincipal token, CancellationToken ct)
    {
        if (!Guid.TryParse(token.FindFirstValue("sub"), out var userId)) return true;
        // Tokens issued before sessions were named carry no sid or gen: they end with their own expiry (or the user's markers).
        Guid? sessionId = Guid.TryParse(token.FindFirstValue(SessionClaim), out var sid) ? sid : null;
        var generation = int.TryParse(token.FindFirstValue(GenerationClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var gen) ? gen : 0;

        var (sessionRevoked, userMarker) = await ReadMarkersAsync(userId, sessionId, ct);
        if (sessionRevoked) return true;
        return userMarker switch
        {
            Inactive or Gone => true,
            _ => int.TryParse(userMarker, NumberStyles.None, CultureInfo.InvariantCulture, out var current) && generation < current,
        };
    }

    async Task<(bool SessionRevoked, string UserMarker)> ReadMarkersAsync(Guid userId, Guid? sessionId, CancellationToken ct)
    {
        var cachedSession = sessionId is null ? false : _local.Get<bool?>(("sid", sessionId.Value));
        if (cachedSession == true) return (true, ""); // a revocation is for good: no need to read anything else
        var cachedUser = _local.Get<string>(("user", userId));
        if (cachedSession is not null && cachedUser is not null)
        {
            AppMetrics.CacheHit("session_revocation");
            return (cachedSession.Value, cachedUser);
        }
        AppMetrics.CacheMiss("session_revocation");

        bool sessionRevoked;
        string userMarker;
        if (redis.IsConnected)
        {
            try
            {
                RedisKey[] keys = sessionId is null ? [UserKey(userId)] : [UserKey(userId), SessionKey(sessionId.Value)];
                var values = await redis.GetDatabase().StringGetAsync(keys);
                sessionRevoked = sessionId is not null && values[1].HasValue;
                userMarker = values[0].HasValue ? values[0].ToString() : await FillUserMarkerAsync(userId, ct);
                Remember(userId, userMarker, sessionId, sessionRevoked);
                return (sessionRevoked, userMarker);
            }
            catch (Exception ex) when (ChartCraft.Infrastructure.Persistence.RedisFailures.CanDoWithout(ex))
            {
                WarnFallback(ex);
            }
        }
        else WarnFallback(null);

        await using var session = store.QuerySession();
        userMarker = MarkerOf(await session.LoadAsync<User>(userId, ct));
        sessionRevoked = sessionId is { } id && await session.Query<RefreshToken>()
            .AnyAsync(t => t.FamilyId == id && (t.RevokedReason == RefreshToken.Logout || t.RevokedReason == RefreshToken.ReuseDetected
                || t.RevokedReason == RefreshToken.PasswordChanged), ct);
        Remember(userId, userMarker, sessionId, sessionRevoked);
        return (sessionRevoked, userMarker);
    }

    /// <summary>Redis lost or never had this user's marker: read the document once and share it (unless a fresher write got there first).</summary>
    async Task<string> FillUserMarkerAsync(Guid userId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var marker = MarkerOf(await session.LoadAsync<User>(userId, ct));
        await redis.GetDatabase().StringSetAsync(UserKey(userId), marker, MarkerLifetime, When.NotExists);
        return marker;
    }

    void Remember(Guid userId, string userMarker, Guid? sessionId, bool sessionRevoked)
    {
        if (settings.LocalCacheLifetime <= TimeSpan.Zero) return;
        var options = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = settings.LocalCacheLifetime, Size = 1 };
        _local.Set(("user", userId), userMarker, options);
        // A read that raced this instance's own logout must not hide it.
        if (sessionId is { } id && (sessionRevoked || _local.Get<bool?>(("sid", id)) != true)) _local.Set<bool?>(("sid", id), sessionRevoked, options);
    }

    /// <summary>Ends the access tokens of one refresh family. Call after the refresh tokens are revoked in Postgres.</summary>
    public async Task RevokeSessionAsync(Guid sessionId, string reason)
    {
        // This instance knows at once, whatever its cache held; the others within their cache lifetime.
        _local.Set<bool?>(("sid", sessionId), true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = MarkerLifetime, Size = 1 });
        try
        {
            await redis.GetDatabase().StringSetAsync(SessionKey(sessionId), reason, MarkerLifetime);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // Postgres has the revocation already; other instances read it from there until Redis is back.
            _pendingSessions[sessionId] = reason;
            WarnFallback(ex);
        }
    }

    /// <summary>Publishes a saved user's state (active, token generation) to every instance.</summary>
    public async Task PublishUserAsync(User user)
    {
        var marker = MarkerOf(user);
        // Only for the usual cache lifetime: another instance may change this user again.
        if (settings.LocalCacheLifetime > TimeSpan.Zero)
            _local.Set(("user", user.Id), marker, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = settings.LocalCacheLifetime, Size = 1 });
        try
        {
            await redis.GetDatabase().StringSetAsync(UserKey(user.Id), marker, MarkerLifetime);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            _pendingUsers[user.Id] = 0;
            WarnFallback(ex);
        }
    }

    /// <summary>
    /// Puts back into Redis what it is missing: writes that failed while it was away, and — when Redis has lost its
    /// data (restart without persistence, flush) — every family revoked within an access token's lifetime.
    /// </summary>
    public async Task RewarmAsync(CancellationToken ct)
    {
        if (!redis.IsConnected) return;
        var db = redis.GetDatabase();
        foreach (var (sessionId, reason) in _pendingSessions)
        {
            await db.StringSetAsync(SessionKey(sessionId), reason, MarkerLifetime);
            _pendingSessions.TryRemove(sessionId, out _);
        }
        if (!_pendingUsers.IsEmpty)
        {
            await using var session = store.QuerySession();
            foreach (var userId in _pendingUsers.Keys)
            {
                await db.StringSetAsync(UserKey(userId), MarkerOf(await session.LoadAsync<User>(userId, ct)), MarkerLifetime);
                _pendingUsers.TryRemove(userId, out _);
            }
        }

        if (await db.KeyExistsAsync(LoadedKey)) return;
        var since = clock.GetUtcNow() - MarkerLifetime;
        await using (var session = store.QuerySession())
        {
            var revoked = await session.Query<RefreshToken>()
                .Where(t => t.RevokedAt > since && (t.RevokedReason == RefreshToken.Logout || t.RevokedReason == RefreshToken.ReuseDetected
                    || t.RevokedReason == RefreshToken.PasswordChanged))
                .Select(t => new { t.FamilyId, t.RevokedReason })
                .ToListAsync(ct);
            foreach (var family in revoked.DistinctBy(f => f.FamilyId))
                await db.StringSetAsync(SessionKey(family.FamilyId), family.RevokedReason, MarkerLifetime);
            logger.LogInformation("Session revocations: {Count} revoked sessions written back to Redis", revoked.Count);
        }
        // User markers need no such pass: a missing one is read from the user document on first use.
        await db.StringSetAsync(LoadedKey, clock.GetUtcNow().ToString("O"));
    }

    void WarnFallback(Exception? ex)
    {
        if (DateTime.UtcNow < _nextFallbackWarning) return;
        _nextFallbackWarning = DateTime.UtcNow.AddMinutes(1);
        logger.LogWarning(ex, "Redis unavailable: session revocations are read from and kept in Postgres until it returns");
    }
}

/// <summary>Every committed change to a user (deactivation, a bumped token generation) reaches the Redis marker at once.</summary>
sealed class UserMarkerListener(IServiceProvider services) : DocumentSessionListenerBase
{
    public override async Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var users = commit.Updated.Concat(commit.Inserted).OfType<User>().ToList();
        if (users.Count == 0) return;
        // Resolved here, not injected: the revocations need the document store this listener is part of.
        var revocations = services.GetRequiredService<SessionRevocations>();
        foreach (var user in users) await revocations.PublishUserAsync(user);
    }
}

/// <summary>Runs <see cref="SessionRevocations.RewarmAsync"/> every 30 s, and once at start.</summary>
public sealed class SessionRevocationRewarm(SessionRevocations revocations, ILogger<SessionRevocationRewarm> logger)
    : PeriodicJob(TimeSpan.FromSeconds(30), logger)
{
    protected override string Name => "Session revocation re-warm";

    protected override Task RunOnceAsync(CancellationToken ct) => revocations.RewarmAsync(ct);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await revocations.RewarmAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Session revocation re-warm failed at start; it runs again in 30 s");
        }
        await base.StartAsync(cancellationToken);
    }
}
