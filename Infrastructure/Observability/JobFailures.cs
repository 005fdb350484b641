using System.Diagnostics;
using System.Text.RegularExpressions;
using Wolverine;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>
/// Background jobs that failed for good: counted in chartcraft_jobs_failed_total{job,reason} and, when SENTRY_DSN is
/// set, reported to Sentry with the message type, the message id and the ids the message names (export, chart,
/// delivery...). Never the payload: no message body, no exception message (it may quote a URL or a title), no user id.
/// </summary>
public sealed partial class JobFailures(ErrorTracker? tracker)
{
    /// <summary>Wolverine gave up on the message: its retries are exhausted and it went to the dead-letter queue.</summary>
    public const string DeadLettered = "dead_lettered";

    /// <param name="reason">A fixed, low-cardinality word for how it ended (export_failed, delivery_gave_up...), never a user-facing text.</param>
    /// <param name="ids">Ids known to the handler but not in the message (e.g. the charts of an export).</param>
    public void Report(Envelope envelope, string reason, Exception? exception = null, SentryLevel level = SentryLevel.Error,
        params (string Name, string Value)[] ids)
    {
        var job = JobName(envelope);
        AppMetrics.JobsFailed.WithLabels(job, reason).Inc();
        if (tracker is null) return;

        var report = new SentryEvent(exception)
        {
            Level = level,
            Message = new SentryMessage { Formatted = $"Background job {job} failed for good ({reason})" },
            // One issue per job type and outcome, whatever the exception text says.
            Fingerprint = ["background-job", job, reason],
        };
        report.SetTag(ErrorTracker.JobTag, job);
        report.SetTag("message_type", envelope.MessageType ?? envelope.Message?.GetType().FullName ?? job);
        report.SetTag("message_id", envelope.Id.ToString());
        report.SetTag("reason", reason);
        report.SetTag("attempts", envelope.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, value) in IdsOf(envelope.Message)) report.SetTag(name, value);
        foreach (var (name, value) in ids) report.SetTag(name, value);
        tracker.Capture(report);
    }

    /// <summary>The message type's short name (RunExport, DeliverWebhook): the label of the job metrics.</summary>
    public static string JobName(Envelope envelope) => envelope.Message?.GetType().Name
        ?? envelope.MessageType?.Split('.', ':').LastOrDefault(p => p.Length > 0) ?? "unknown";

    /// <summary>
    /// The message's own ids (Guid properties named *Id), as snake_case tags: export_id, delivery_id, publish_id, chart_id.
    /// Only ids are read from the message; user ids are left out (they identify a person).
    /// </summary>
    static IEnumerable<(string Name, string Value)> IdsOf(object? message)
    {
        if (message is null) yield break;
        foreach (var property in message.GetType().GetProperties())
        {
            if (!property.Name.EndsWith("Id", StringComparison.Ordinal) || property.Name == "UserId") continue;
            if (property.PropertyType != typeof(Guid) && property.PropertyType != typeof(Guid?)) continue;
            if (property.GetValue(message) is Guid id) yield return (SnakeCase().Replace(property.Name, "_$1").ToLowerInvariant(), id.ToString());
        }
    }

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex SnakeCase();
}

/// <summary>
/// Wolverine's wire tap on every local queue: called once a message has exhausted its error policies (dead-lettered).
/// Successes cost nothing.
/// </summary>
public sealed class DeadLetterReports(JobFailures failures) : IWireTap
{
    public ValueTask RecordSuccessAsync(Envelope envelope) => ValueTask.CompletedTask;

    public ValueTask RecordFailureAsync(Envelope envelope, Exception exception)
    {
        failures.Report(envelope, JobFailures.DeadLettered, exception);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Wolverine middleware: the duration of every handled message in chartcraft_job_duration_seconds{job}.</summary>
public static class JobTiming
{
    public static JobStopwatch Before() => new(Stopwatch.GetTimestamp());

    public static void Finally(JobStopwatch stopwatch, Envelope envelope) =>
        AppMetrics.JobDuration.WithLabels(JobFailures.JobName(envelope)).Observe(Stopwatch.GetElapsedTime(stopwatch.Started).TotalSeconds);
}

public sealed record JobStopwatch(long Started);
