namespace ChartCraft.Features.Webhooks;

/// <summary>What a delivery does after an attempt.</summary>
public enum NextStep
{
    Done,
    Retry,
    GiveUp,

    /// <summary>Give up and disable the subscription (410 Gone).</summary>
    Disable,
}

/// <summary>The retry decision, apart from any I/O: retry failures on the schedule, stop on success, 410 or refusal.</summary>
public static class WebhookRetryPolicy
{
    /// <param name="outcome">How the attempt ended.</param>
    /// <param name="attempt">The attempt that just ended, counting from 1.</param>
    /// <param name="retryDelays">The wait before each retry (WEBHOOK_RETRY_DELAYS_SECONDS).</param>
    public static (NextStep Step, TimeSpan? Delay) Next(AttemptOutcome outcome, int attempt, IReadOnlyList<TimeSpan> retryDelays) =>
        outcome switch
        {
            AttemptOutcome.Succeeded => (NextStep.Done, null),
            AttemptOutcome.Gone => (NextStep.Disable, null),
            AttemptOutcome.Refused => (NextStep.GiveUp, null),
            _ when attempt <= retryDelays.Count => (NextStep.Retry, retryDelays[attempt - 1]),
            _ => (NextStep.GiveUp, null),
        };
}
