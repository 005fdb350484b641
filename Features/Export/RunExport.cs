using ChartCraft.Features.Charts;
using ChartCraft.Features.Messages;
using ChartCraft.Infrastructure.Observability;
using ChartCraft.Infrastructure.Storage;
using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ChartCraft.Features.Export;

/// <summary>
/// Wolverine's retry policy for exports and thumbnails: any failure is retried as a durable scheduled message after each delay of
/// EXPORT_RETRY_DELAYS_SECONDS; the handler ends the job as failed on the last attempt. Registered per host from
/// settings (not a static), as Wolverine reads a handler's error policy while it generates the handler, before
/// anything is resolved from DI, and two apps in one process keep their own schedules.
/// </summary>
public sealed class ExportRetryPolicy(IReadOnlyList<TimeSpan> delays) : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.MessageType == typeof(RunExport) || c.MessageType == typeof(ChartRevised)))
            chain.OnAnyException().ScheduleRetry([.. delays]);
    }
}

/// <summary>
/// Renders a queued export (PDF report or image). Durable: the message sits in Postgres with its job, so a
/// restart resumes it. A failure that can pass (a busy or crashed browser, storage hiccup) is retried after
/// EXPORT_RETRY_DELAYS_SECONDS (<see cref="ExportRetryPolicy"/>); one that cannot (a deleted chart) or the last
/// retry ends the job as failed.
/// </summary>
public static class RunExportHandler
{
    public static async Task Handle(RunExport message, Envelope envelope, IDocumentSession session, IMessageContext bus,
        IDocumentStore store, ChartRenderer renderer, ExportFileStore files, IBlobStorage storage, ExportSettings settings, TimeProvider clock,
        ILogger<RunExport> logger, JobFailures failures, CancellationToken ct)
    {
        var job = await session.LoadAsync<ExportJob>(message.ExportId, ct);
        if (job is null || job.Status is ExportStatuses.Completed or ExportStatuses.Failed) return; // already done: redelivery
        await MarkRunningAsync(store, job, envelope.Attempts, clock, ct);

        try
        {
            var charts = new List<Chart>();
            foreach (var chartId in job.ChartIds) charts.Add(await session.LoadOwnedChartAsync(chartId, job.UserId, ct));
            StoredExport stored;
            if (job.Format == ExportFormats.Pdf)
            {
                var pdf = await renderer.RenderReportAsync(session, charts, job.Title ?? "Chart report", job.IncludeInsights, clock.GetUtcNow(), ct);
                stored = await files.StoreReportAsync(job, pdf, ct);
            }
            else
            {
                stored = await renderer.StoreImageAsync(session, charts[0], job.Image, ct);
            }
            (job.StorageKey, job.FileName, job.SizeBytes) = (stored.StorageKey, stored.FileName, stored.SizeBytes);
            var now = clock.GetUtcNow();
            if (!await ExportedCharts.RecordAsync(session, job, now, ct))
            {
                // A chart was deleted while this rendered, and its cleanup may have run already: keep nothing of it.
                session.EjectAllPendingChanges();
                if (job.StorageKey is { } key) await storage.DeleteAsync(key, ct);
                session.Delete<ExportJob>(job.Id);
                return;
            }
            job.Status = ExportStatuses.Completed;
            job.CompletedAt = now;
            job.FilesExpireAt = now.Add(settings.Retention);
            job.Attempts = envelope.Attempts;
            job.Error = null;
            session.Store(job);
            await bus.PublishAsync(ExportEvents.Completed(job));
            AppMetrics.Exports.WithLabels(job.Format, job.Status).Inc();
        }
        catch (Exception ex) when (ex is ProblemException || envelope.Attempts > settings.RetryDelays.Count)
        {
            logger.LogWarning(ex, "Export {ExportId} failed after {Attempts} attempt(s)", job.Id, envelope.Attempts);
            job.Status = ExportStatuses.Failed;
            job.Attempts = envelope.Attempts;
            job.CompletedAt = clock.GetUtcNow();
            job.Error = Reason(ex, envelope.Attempts);
            // A chart that is gone was deleted, and a deleted chart's exports are deleted (RemoveExportsOfDeletedChart):
            // storing the failure would bring back a job that cleanup may already have removed.
            if (ex is ProblemException { Status: 404 }) session.Delete<ExportJob>(job.Id);
            else session.Store(job);
            await bus.PublishAsync(ExportEvents.Failed(job));
            AppMetrics.Exports.WithLabels(job.Format, job.Status).Inc();
            failures.Report(envelope, "export_failed", ex, ex is ProblemException ? Sentry.SentryLevel.Warning : Sentry.SentryLevel.Error,
                ("chart_id", string.Join(",", job.ChartIds.Take(5))), ("format", job.Format));
        }
    }

    /// <summary>Visible to GET /api/export/{id} at once, outside the handler's transaction.</summary>
    static Task MarkRunningAsync(IDocumentStore store, ExportJob job, int attempt, TimeProvider clock, CancellationToken ct)
    {
        job.Status = ExportStatuses.Running;
        job.StartedAt ??= clock.GetUtcNow();
        job.Attempts = attempt;
        return store.SaveProgressAsync(job, ct);
    }

    /// <summary>A reason a user can read; internals stay in the log.</summary>
    static string Reason(Exception ex, int attempts) => ex switch
    {
        ProblemException p => p.Detail ?? p.Title,
        _ when RenderingProblems.From(ex) is { } p => $"{p.Detail} (gave up after {attempts} attempts)",
        _ => $"The export failed after {attempts} attempts.",
    };
}
