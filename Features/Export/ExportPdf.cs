using ChartCraft.Features.Charts;
using ChartCraft.Features.Plans;
using Wolverine.Marten;

namespace ChartCraft.Features.Export;

public sealed record ExportPdfRequest(IReadOnlyList<Guid> ChartIds, string? Title, bool IncludeInsights = true);

public sealed class ExportPdfValidator : Validator<ExportPdfRequest>
{
    public const int MaxCharts = 20;

    public ExportPdfValidator()
    {
        RuleFor(x => x.ChartIds).Cascade(CascadeMode.Stop).NotEmpty().Must(ids => ids.Count <= MaxCharts).WithMessage($"at most {MaxCharts} charts per report");
        RuleFor(x => x.Title).MaximumLength(200);
    }
}

/// <summary>POST /api/export/pdf: 202 with a queued export; the report is rendered by a durable message.</summary>
public sealed class ExportPdfEndpoint(IDocumentStore store, IMartenOutbox outbox, ExportResponses responses, ExportSettings settings,
    PlanEnforcement plans, TimeProvider clock) : Endpoint<ExportPdfRequest, ExportResponse>
{
    public override void Configure()
    {
        Post("/export/pdf");
        Description(d => d.WithTags("Export").Accepts<ExportPdfRequest>("application/json")
            .Produces<ExportResponse>(202).ProducesProblems(400, 401, 404, 422, 429), clearDefaults: true);
        Summary(s => s.Summary = "Queue a PDF report of charts (poll GET /api/export/{export_id})");
    }

    public override async Task HandleAsync(ExportPdfRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var charts = await session.LoadOwnedChartsAsync(req.ChartIds, userId, ct);
        var job = ExportJobs.Pdf(userId, charts.Select(c => c.Id).ToList(), req.Title ?? charts[0].Title, req.IncludeInsights,
            clock.GetUtcNow(), batchId: null);
        await using (var planned = await plans.ConsumeDailyAsync(userId, PlanLimit.ExportsPerDay, ct))
        {
            await ExportJobs.QueueAsync(session, outbox, [job], settings.Limits, ct);
            planned.Keep();
        }
        await Send.ResponseAsync(await responses.ToResponseAsync(job, ct), 202, ct);
    }
}

/// <summary>New queued jobs.</summary>
public static class ExportJobs
{
    /// <summary>
    /// Stores the jobs and their <see cref="RunExport"/> messages in one commit (the Marten outbox): a job is never
    /// saved without the message that runs it, nor the message sent for a job that was not saved.
    /// </summary>
    /// <param name="session">Opened with <see cref="OutboxSessions.OpenOutboxSession"/> on <paramref name="outbox"/>.</param>
    public static async Task QueueAsync(IDocumentSession session, IMartenOutbox outbox, IReadOnlyList<ExportJob> jobs, ExportLimits limits,
        CancellationToken ct)
    {
        // Refused (429) before anything is stored; the per-user lock it takes is held until this commit.
        await ExportQuota.EnsureRoomAsync(session, jobs[0].UserId, jobs.Count, jobs.Sum(j => j.Megapixels), limits, holdUntilCommit: true, ct);
        foreach (var job in jobs)
        {
            session.Store(job);
            await outbox.PublishAsync(new RunExport(job.Id));
        }
        await session.SaveChangesAsync(ct);
    }

    public static ExportJob Pdf(Guid userId, List<Guid> chartIds, string title, bool includeInsights, DateTimeOffset now, Guid? batchId) => new()
    {
        Id = Guid.CreateVersion7(), UserId = userId, BatchId = batchId, Format = ExportFormats.Pdf, ChartIds = chartIds,
        Title = title.Trim(), IncludeInsights = includeInsights, CreatedAt = now, Megapixels = ExportCost.ReportMegapixels(chartIds.Count),
    };

    public static ExportJob Image(Guid userId, Guid chartId, ImageExportOptions options, DateTimeOffset now, Guid? batchId) => new()
    {
        Id = Guid.CreateVersion7(), UserId = userId, BatchId = batchId, Format = options.Format, ChartIds = [chartId], Image = options,
        CreatedAt = now, Megapixels = ExportCost.Megapixels(options.Format, options.Width, options.Height, options.Dpi),
    };
}
