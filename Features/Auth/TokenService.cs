using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ChartCraft.Infrastructure.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChartCraft.Features.Auth;

/// <summary>
/// Issues access tokens (JWT with sub, email, iat, exp, jti, plus sid = the refresh family and gen = the user's token
/// generation, so <see cref="SessionRevocations"/> can end them early; role = admin for ADMIN_EMAILS) and refresh tokens (random, stored hashed).
/// </summary>
public sealed class TokenService(JwtSettings jwt, TimeProvider clock, AdminRole admins)
{
    readonly SigningCredentials _credentials = new(Authentication.SigningKey(jwt), Authentication.SecurityAlgorithm(jwt));
    readonly JsonWebTokenHandler _handler = new();

    public int AccessTokenSeconds => (int)jwt.AccessTokenLifetime.TotalSeconds;

    public string CreateAccessToken(User user, Guid sessionId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<Claim> claims = [
            new Claim("sub", user.Id.ToString()),
            new Claim("email", user.Email),
            new Claim("jti", Guid.NewGuid().ToString("N")),
            new Claim(SessionRevocations.SessionClaim, sessionId.ToString("N")),
            new Claim(SessionRevocations.GenerationClaim, user.TokenGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ClaimValueTypes.Integer32),
        ];
        if (admins.IsAdmin(user)) claims.Add(new Claim(AdminRole.Claim, AdminRole.Name));
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(jwt.AccessTokenLifetime),
            SigningCredentials = _credentials,
            Subject = new ClaimsIdentity(claims),
        });
    }

    /// <summary>A new refresh token in <paramref name="familyId"/>: the plain value for the client, the hashed document to store.</summary>
    public (string Token, RefreshToken Stored) CreateRefreshToken(Guid userId, Guid familyId)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        return (token, new RefreshToken
        {
            Id = Hash(token),
            UserId = userId,
            FamilyId = familyId,
            CreatedAt = now,
            ExpiresAt = now.AddDays(jwt.RefreshTokenDays),
        });
    }

    /// <summary>The pair for <paramref name="refresh"/>: its access token belongs to the refresh token's family.</summary>
    public TokenResponse Pair(User user, string refreshToken, RefreshToken refresh) =>
        new(CreateAccessToken(user, refresh.FamilyId), refreshToken, "bearer", AccessTokenSeconds);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// bcrypt with a SHA-384 pre-hash, so passwords longer than bcrypt's 72 bytes are not truncated. One hash holds a core
/// for a quarter of a second (work factor 12), so at most PASSWORD_HASHES_AT_ONCE run at once per instance (half the
/// cores by default) and the others wait without holding a thread: a burst of sign-ups or sign-ins then queues up
/// behind itself instead of taking every core and thread-pool thread from the requests around it (seen at 1 000
/// users: sign-ups at 5/s starved reads and exports until requests timed out).
/// </summary>
public sealed class PasswordHasher(JwtSettings jwt) : IDisposable
{
    readonly SemaphoreSlim _slots = new(jwt.PasswordHashesAtOnce, jwt.PasswordHashesAtOnce);
    int _running;
    int _mostAtOnce;
    int _onThreadPool;

    // Verifying against this when the email is unknown makes both failures take the same time.
    readonly Lazy<string> _decoy = new(() => BCrypt.Net.BCrypt.EnhancedHashPassword("decoy-password", jwt.BcryptWorkFactor));

    /// <summary>The most hashes seen running at once since start (tests and diagnostics).</summary>
    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    /// <summary>Hashes that ran on a thread-pool thread since start: 0 (tests and diagnostics).</summary>
    public int HashesOnThreadPool => Volatile.Read(ref _onThreadPool);

    public Task<string> HashAsync(string password, CancellationToken ct) =>
        InSlotAsync(() => BCrypt.Net.BCrypt.EnhancedHashPassword(password, jwt.BcryptWorkFactor), ct);

    public Task<bool> VerifyAsync(string password, string? hash, CancellationToken ct) => InSlotAsync(() =>
    {
        if (hash is not null) return BCrypt.Net.BCrypt.EnhancedVerify(password, hash);
        BCrypt.Net.BCrypt.EnhancedVerify(password, _decoy.Value); // same cost as a real check
        return false;
    }, ct);

    async Task<T> InSlotAsync<T>(Func<T> work, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try
        {
            T Counted()
            {
                if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref _onThreadPool);
                return work();
            }

            var running = Interlocked.Increment(ref _running);
            for (var most = Volatile.Read(ref _mostAtOnce); running > most; most = Volatile.Read(ref _mostAtOnce))
                if (Interlocked.CompareExchange(ref _mostAtOnce, running, most) == most) break;
            // On a thread of its own: under load a hash takes seconds of wall time, and a thread-pool thread held that
            // long delays every request's continuations on an instance with two of them.
            return await Task.Factory.StartNew(Counted, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
