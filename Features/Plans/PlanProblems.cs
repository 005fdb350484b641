using System.Globalization;

namespace ChartCraft.Features.Plans;

/// <summary>
/// The refusals of a plan limit: Problem Details with <c>limit</c> (its name), <c>limit_value</c> and, for a daily
/// limit, <c>resets_at</c> (ISO 8601 UTC), which a client can show without parsing the detail.
/// </summary>
public static class PlanProblems
{
    /// <summary>403: a size or count limit; waiting does not help, deleting something or another plan does.</summary>
    public static ProblemException Exceeded(PlanLimit limit, int value, string detail) =>
        new(StatusCodes.Status403Forbidden, "Plan limit reached", detail)
        {
            Extensions = new Dictionary<string, object?> { ["limit"] = limit.Name, ["limit_value"] = value },
        };

    /// <summary>429 with Retry-After until the day's counters start again.</summary>
    public static ProblemException DailyExceeded(PlanLimit limit, int value, DateTimeOffset resetsAt, DateTimeOffset now, string detail) =>
        new(StatusCodes.Status429TooManyRequests, "Daily plan limit reached", $"{detail} The count starts again at {Iso(resetsAt)}.")
        {
            RetryAfter = resetsAt - now,
            Extensions = new Dictionary<string, object?>
            {
                ["limit"] = limit.Name, ["limit_value"] = value, ["resets_at"] = Iso(resetsAt),
            },
        };

    static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
