namespace ChartCraft.Features.Plans;

/// <summary>
/// One limit of a subscription plan, by the name the API uses (<c>limit</c> in a refusal, a key of the usage answer).
/// A size or count limit is checked against what the user has (403 when exceeded); a daily one counts operations in
/// the current UTC day (429 when exceeded).
/// </summary>
public sealed record PlanLimit(string Name, bool IsDaily)
{
    /// <summary>The largest file one upload may be, in MiB (never above the global MAX_FILE_SIZE_MB).</summary>
    public static readonly PlanLimit FileSizeMb = new("file_size_mb", false);
    public static readonly PlanLimit Sources = new("sources", false);
    /// <summary>The uploaded files the user keeps, together, in MiB.</summary>
    public static readonly PlanLimit StoredMb = new("stored_mb", false);
    public static readonly PlanLimit Charts = new("charts", false);
    /// <summary>Exports accepted (image, PDF, each item of a batch).</summary>
    public static readonly PlanLimit ExportsPerDay = new("exports_per_day", true);
    /// <summary>Insights written by OpenAI; the statistical engine's are free.</summary>
    public static readonly PlanLimit AiInsightsPerDay = new("ai_insights_per_day", true);
    /// <summary>Newsletter publishes accepted.</summary>
    public static readonly PlanLimit PublishesPerDay = new("publishes_per_day", true);

    /// <summary>Every limit, in the order the usage answer lists them.</summary>
    public static IReadOnlyList<PlanLimit> All { get; } = [FileSizeMb, Sources, StoredMb, Charts, ExportsPerDay, AiInsightsPerDay, PublishesPerDay];

    public override string ToString() => Name;
}
