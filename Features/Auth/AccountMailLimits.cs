using System.Globalization;
using System.Threading.RateLimiting;
using ChartCraft.Infrastructure.Configuration;
using RedisRateLimiting;

namespace ChartCraft.Features.Auth;

/// <summary>
/// How many account mails (password reset, verification) may be asked for per hour: AUTH_MAIL_LIMIT_PER_ADDRESS for one
/// address, so nobody's inbox is flooded, and AUTH_MAIL_LIMIT_PER_CLIENT for one caller, so nobody sprays many addresses.
/// </summary>
public sealed record AccountMailLimitSettings(int PerAddress, int PerClient)
{
    public static AccountMailLimitSettings Load(IConfiguration config) =>
        new(SettingValues.Int(config, "AUTH_MAIL_LIMIT_PER_ADDRESS", 5, 1, 10_000),
            SettingValues.Int(config, "AUTH_MAIL_LIMIT_PER_CLIENT", 20, 1, 100_000));
}

/// <summary>
/// The hourly windows of <see cref="AccountMailLimitSettings"/>, counted in Redis for every instance like the API's own
/// limit (<see cref="RequestRateLimiter"/>). An unknown address is counted like a known one: a 429 tells nothing either.
/// </summary>
public sealed class AccountMailLimits(IServiceProvider services, AccountMailLimitSettings settings)
{
    static readonly TimeSpan Window = TimeSpan.FromHours(1);
    readonly RequestRateLimiter _perAddress = RequestRateLimiter.Create(services, "rl:account-mail:address:", settings.PerAddress, Window);
    readonly RequestRateLimiter _perClient = RequestRateLimiter.Create(services, "rl:account-mail:client:", settings.PerClient, Window);

    /// <summary>Counts one mail for the caller and for <paramref name="normalizedEmail"/>; 429 with Retry-After when either is spent.</summary>
    public async Task CountAsync(HttpContext http, string normalizedEmail, CancellationToken ct)
    {
        using var byClient = await _perClient.AcquireAsync(RequestRateLimiter.PartitionFor(http), ct);
        using var byAddress = await _perAddress.AcquireAsync(normalizedEmail, ct);
        var refused = !byClient.IsAcquired ? byClient : !byAddress.IsAcquired ? byAddress : null;
        if (refused is null) return;
        var seconds = refused.TryGetMetadata(RateLimitMetadataName.RetryAfter.Name, out var wait)
            ? Math.Max(1, Convert.ToInt32(wait, CultureInfo.InvariantCulture))
            : (int)Window.TotalSeconds;
        throw new ProblemException(429, "Too many requests",
            $"Too many account mails were asked for; retry in {seconds} s.") { RetryAfter = TimeSpan.FromSeconds(seconds) };
    }
}
