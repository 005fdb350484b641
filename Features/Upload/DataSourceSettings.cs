using static ChartCraft.Infrastructure.Configuration.SettingValues;

namespace ChartCraft.Features.Upload;

/// <summary>Versions of a data source and refreshing one from a URL, read from SOURCE_* configuration keys.</summary>
/// <param name="VersionsKept">SOURCE_VERSIONS_KEPT: files of previous versions kept in storage besides the current one (5).</param>
/// <param name="AllowLoopbackUrls">SOURCE_URL_ALLOW_LOOPBACK_TARGETS: lets source URLs reach this machine (127.0.0.0/8, ::1). Off by default.</param>
/// <param name="AllowPrivateUrls">SOURCE_URL_ALLOW_PRIVATE_TARGETS: lets source URLs reach private networks. Off by default: a
/// fetch is otherwise a way to make the server read its own network (SSRF). Link-local addresses are never opened.</param>
/// <param name="FetchTimeout">SOURCE_FETCH_TIMEOUT_SECONDS: one fetch, connect to last byte (30).</param>
/// <param name="SweepInterval">SOURCE_REFRESH_SWEEP_MINUTES: how often due sources are looked for (1; 0 turns scheduled refresh off).</param>
public sealed record DataSourceSettings(int VersionsKept, bool AllowLoopbackUrls, bool AllowPrivateUrls, TimeSpan FetchTimeout,
    TimeSpan SweepInterval)
{
    /// <summary>A source is fetched at most every 5 minutes (a politeness floor for the servers fetched from) and at least weekly.</summary>
    public const int MinRefreshMinutes = 5;
    public const int MaxRefreshMinutes = 7 * 24 * 60;

    public static DataSourceSettings Load(IConfiguration config) => new(
        Int(config, "SOURCE_VERSIONS_KEPT", 5, 0, 100),
        Bool(config, "SOURCE_URL_ALLOW_LOOPBACK_TARGETS", false),
        Bool(config, "SOURCE_URL_ALLOW_PRIVATE_TARGETS", false),
        TimeSpan.FromSeconds(Int(config, "SOURCE_FETCH_TIMEOUT_SECONDS", 30, 1, 600)),
        Minutes(config, "SOURCE_REFRESH_SWEEP_MINUTES", 1, 0.05, 60, zeroTurnsOff: true));
}
