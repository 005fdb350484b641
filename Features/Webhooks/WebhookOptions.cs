using System.Globalization;
using ChartCraft.Infrastructure.Configuration;
using static ChartCraft.Infrastructure.Configuration.SettingValues;

namespace ChartCraft.Features.Webhooks;

/// <summary>
/// How webhooks are delivered: which targets are allowed, the retry schedule, when a subscription
/// counts as failing, and the per-request timeout. Read from WEBHOOK_* configuration keys.
/// </summary>
/// <param name="AllowLoopbackTargets">WEBHOOK_ALLOW_LOOPBACK_TARGETS: lets URLs reach this machine (127.0.0.0/8,
/// ::1), for a receiver on a developer's box. Off by default.</param>
/// <param name="AllowPrivateTargets">WEBHOOK_ALLOW_PRIVATE_TARGETS: lets URLs reach private networks (10/8,
/// 172.16/12, 192.168/16, 100.64/10, fc00::/7), for a receiver inside a company network. Off by default: otherwise a
/// webhook is a way to make the server call its own network (SSRF). Neither switch opens link-local addresses
/// (169.254/16, fe80::/10: cloud metadata lives there) or any other reserved range.</param>
/// <param name="RetryDelays">WEBHOOK_RETRY_DELAYS_SECONDS: the wait before each retry; a delivery gets
/// one attempt plus one per delay.</param>
/// <param name="FailingAfterDeliveries">WEBHOOK_FAILING_AFTER: consecutive deliveries that gave up before
/// the subscription is marked failing.</param>
/// <param name="Timeout">WEBHOOK_TIMEOUT_SECONDS: the whole attempt, connect to response headers.</param>
/// <param name="DeliveryRetention">WEBHOOK_DELIVERY_RETENTION_DAYS: how long finished deliveries stay in the
/// log; every event of every subscription is a document, so without a bound the table only grows.</param>
/// <param name="PruneInterval">WEBHOOK_DELIVERY_PRUNE_INTERVAL_MINUTES: how often the log is pruned (hourly).</param>
public sealed record WebhookOptions(
    bool AllowLoopbackTargets,
    bool AllowPrivateTargets,
    IReadOnlyList<TimeSpan> RetryDelays,
    int FailingAfterDeliveries,
    TimeSpan Timeout,
    TimeSpan DeliveryRetention,
    TimeSpan PruneInterval)
{
    /// <summary>
    /// In the spirit of the Standard Webhooks schedule: a quick retry for a blip, then minutes, then hours,
    /// about 28 hours in all, so a receiver that is down for a day still gets its events.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    public int MaxAttempts => RetryDelays.Count + 1;

    public static WebhookOptions Load(IConfiguration config) => new(
        Bool(config, "WEBHOOK_ALLOW_LOOPBACK_TARGETS", false),
        Bool(config, "WEBHOOK_ALLOW_PRIVATE_TARGETS", false),
        Delays(config, "WEBHOOK_RETRY_DELAYS_SECONDS"),
        Int(config, "WEBHOOK_FAILING_AFTER", 5, 1, 1000),
        TimeSpan.FromSeconds(Int(config, "WEBHOOK_TIMEOUT_SECONDS", 10, 1, 120)),
        TimeSpan.FromDays(Int(config, "WEBHOOK_DELIVERY_RETENTION_DAYS", 30, 1, 3650)),
        Minutes(config, "WEBHOOK_DELIVERY_PRUNE_INTERVAL_MINUTES", 60, 0.05, 24 * 60));

    static IReadOnlyList<TimeSpan> Delays(IConfiguration config, string key)
    {
        var value = Text(config, key);
        if (value is null) return DefaultRetryDelays;
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        var delays = new List<TimeSpan>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            // A week is the longest single wait that still makes sense for an event notification.
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 7 * 24 * 3600)
                throw new InvalidConfigurationException(key,
                    $"'{value}' must be a comma-separated list of seconds between 1 and 604800 (e.g. 5,300,1800), or 'none'");
            delays.Add(TimeSpan.FromSeconds(seconds));
        }
        if (delays.Count > 20)
            throw new InvalidConfigurationException(key, "at most 20 retries");
        return delays;
    }
}
