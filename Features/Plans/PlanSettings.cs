using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Features.Plans;

/// <summary>The subscription tiers a user may have (<c>subscription_tier</c>).</summary>
public static class Tiers
{
    public const string Free = "free";
    public const string Pro = "pro";
    public const string Team = "team";

    public static IReadOnlyList<string> All { get; } = [Free, Pro, Team];

    public static bool IsKnown(string? tier) => tier is not null && All.Contains(tier);
}

/// <summary>What one tier allows; every value is a whole number, sizes in MiB.</summary>
public sealed record TierLimits(int FileSizeMb, int Sources, int StoredMb, int Charts, int ExportsPerDay, int AiInsightsPerDay,
    int PublishesPerDay)
{
    public int ValueOf(PlanLimit limit) => limit.Name switch
    {
        "file_size_mb" => FileSizeMb,
        "sources" => Sources,
        "stored_mb" => StoredMb,
        "charts" => Charts,
        "exports_per_day" => ExportsPerDay,
        "ai_insights_per_day" => AiInsightsPerDay,
        "publishes_per_day" => PublishesPerDay,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit.Name, "not a plan limit"),
    };
}

/// <summary>
/// The limits of each tier, from the configuration section <c>Plans</c> (<c>Plans:free:Charts</c> in appsettings.json,
/// or the environment variable <c>Plans__free__Charts</c>); a value left out keeps its default below.
/// </summary>
public sealed record PlanSettings(IReadOnlyDictionary<string, TierLimits> ByTier)
{
    /// <summary>Defaults: free is enough to try the product; pro and team are for daily work, team for several people's.</summary>
    public static readonly IReadOnlyDictionary<string, TierLimits> Defaults = new Dictionary<string, TierLimits>
    {
        [Tiers.Free] = new(FileSizeMb: 10, Sources: 10, StoredMb: 100, Charts: 25, ExportsPerDay: 50, AiInsightsPerDay: 20, PublishesPerDay: 5),
        [Tiers.Pro] = new(FileSizeMb: 50, Sources: 200, StoredMb: 5_000, Charts: 1_000, ExportsPerDay: 1_000, AiInsightsPerDay: 500, PublishesPerDay: 100),
        [Tiers.Team] = new(FileSizeMb: 100, Sources: 1_000, StoredMb: 50_000, Charts: 10_000, ExportsPerDay: 10_000, AiInsightsPerDay: 5_000, PublishesPerDay: 1_000),
    };

    /// <summary>A tier's limits; an account with a tier no longer configured gets the free tier's rather than none.</summary>
    public TierLimits For(string tier) => ByTier.TryGetValue(tier, out var limits) ? limits : ByTier[Tiers.Free];

    public static PlanSettings Load(IConfiguration config) =>
        new(Defaults.ToDictionary(t => t.Key, t => Read(config, t.Key, t.Value)));

    static TierLimits Read(IConfiguration config, string tier, TierLimits fallback)
    {
        int Value(string name, int value) => SettingValues.Int(config, $"Plans:{tier}:{name}", value, 0, int.MaxValue);
        return new TierLimits(
            Value("MaxFileSizeMb", fallback.FileSizeMb),
            Value("Sources", fallback.Sources),
            Value("StoredMb", fallback.StoredMb),
            Value("Charts", fallback.Charts),
            Value("ExportsPerDay", fallback.ExportsPerDay),
            Value("AiInsightsPerDay", fallback.AiInsightsPerDay),
            Value("PublishesPerDay", fallback.PublishesPerDay));
    }
}
