using ChartCraft.Features.Charts;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Plans;
using ChartCraft.Infrastructure.Observability;
using ChartCraft.Infrastructure.Storage;
using Wolverine.Marten;

namespace ChartCraft.Features.Export;

/// <summary>An image export: PNG pixels = width × dpi / 96 by height × dpi / 96 (dpi 96 = the size as given).</summary>
public sealed record ExportImageRequest(Guid ChartId, string Format = ExportFormats.Png, int Width = 800, int Height = 600,
    int Dpi = 96, string Theme = "light", bool Transparent = false);

public sealed class ExportImageValidator : Validator<ExportImageRequest>
{
    public ExportImageValidator()
    {
        RuleFor(x => x.ChartId).NotEmpty();
        RuleFor(x => x.Format).Must(f => f is ExportFormats.Png or ExportFormats.Svg).WithMessage("must be 'png' or 'svg'");
        RuleFor(x => x.Width).InclusiveBetween(100, 4000);
        RuleFor(x => x.Height).InclusiveBetween(100, 4000);
        RuleFor(x => x.Dpi).InclusiveBetween(72, 600);
        RuleFor(x => x.Theme).Must(t => t is "light" or "dark").WithMessage("must be 'light' or 'dark'");
        var limits = Resolve<ExportSettings>().Limits;
        RuleFor(x => x).Custom((r, context) =>
        {
            if (ExportCost.TooLarge(r.Format, r.Width, r.Height, r.Dpi, limits.MaxImageMegapixels) is { } problem)
                context.AddFailure(problem.Field, problem.Message);
        }).When(r => r.Width is >= 100 and <= 4000 && r.Height is >= 100 and <= 4000 && r.Dpi is >= 72 and <= 600);
    }

    public static ImageExportOptions Options(ExportImageRequest r) => new(r.Format, r.Width, r.Height, r.Dpi, r.Theme, r.Transparent);
}

/// <summary>POST /api/export/image: renders now (one warm browser) and answers with a download link.</summary>
public sealed class ExportImageEndpoint(IDocumentStore store, IMartenOutbox outbox, ChartRenderer renderer, ExportResponses responses,
    ExportSettings settings, IBlobStorage storage, PlanEnforcement plans, TimeProvider clock)
    : Endpoint<ExportImageRequest, ExportResponse>
{
    public override void Configure()
    {
        Post("/export/image");
        Description(d => d.WithTags("Export").Accepts<ExportImageRequest>("application/json")
            .Produces<ExportResponse>(200).ProducesProblems(400, 401, 404, 422, 429, 503), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Export a chart as PNG or SVG (synchronous)";
            s.Description = "width/height 100–4000 px, dpi 72–600 (PNG pixels = size × dpi / 96, at most EXPORT_MAX_IMAGE_MEGAPIXELS), " +
                            "theme light|dark, transparent background optional. 429 while the user's queued exports are at their limit, " +
                            "or when the plan's exports_per_day are used up (limit, limit_value, resets_at).";
        });
    }

    public override async Task HandleAsync(ExportImageRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var chart = await session.LoadOwnedChartAsync(req.ChartId, userId, ct);
        var options = ExportImageValidator.Options(req);
        // A render now counts against the same per-user room as queued ones, or sync requests would bypass it.
        await ExportQuota.EnsureRoomAsync(session, userId, 1, ExportCost.Megapixels(options.Format, options.Width, options.Height, options.Dpi),
            settings.Limits, holdUntilCommit: false, ct);
        // Counted when accepted: a render that fails, or a chart deleted meanwhile, gives the unit back.
        await using var planned = await plans.ConsumeDailyAsync(userId, PlanLimit.ExportsPerDay, ct);
        StoredExport stored;
        try
        {
            stored = await renderer.StoreImageAsync(session, chart, options, ct);
        }
        catch (Exception ex) when (RenderingProblems.From(ex) is { } problem)
        {
            throw problem;
        }

        var now = clock.GetUtcNow();
        var job = new ExportJob
        {
            Id = Guid.CreateVersion7(), UserId = userId, Format = req.Format, ChartIds = [chart.Id], Image = options,
            Status = ExportStatuses.Completed, Attempts = 1, StorageKey = stored.StorageKey, FileName = stored.FileName,
            SizeBytes = stored.SizeBytes, CreatedAt = now, StartedAt = now, CompletedAt = now, FilesExpireAt = now.Add(settings.Retention),
        };
        if (!await ExportedCharts.RecordAsync(session, job, now, ct))
        {
            // Deleted while it rendered: the delete's cleanup may have run already, so this file would outlive the chart.
            await storage.DeleteAsync(stored.StorageKey, ct);
            throw Charts.Charts.NotFound(chart.Id);
        }
        session.Store(job);
        await outbox.PublishAsync(ExportEvents.Completed(job));
        await session.SaveChangesAsync(ct);
        planned.Keep();
        AppMetrics.Exports.WithLabels(job.Format, job.Status).Inc();
        await Send.OkAsync(await responses.ToResponseAsync(job, ct), ct);
    }
}

/// <summary>The webhook events of exports.</summary>
public static class ExportEvents
{
    public static WebhookEvent Completed(ExportJob job) => new(job.UserId, WebhookEventTypes.ExportCompleted,
        new Dictionary<string, object?> { ["export_id"] = job.Id, ["chart_ids"] = job.ChartIds, ["format"] = job.Format, ["size_bytes"] = job.SizeBytes },
        job.CompletedAt ?? job.CreatedAt);

    public static WebhookEvent Failed(ExportJob job) => new(job.UserId, WebhookEventTypes.ExportFailed,
        new Dictionary<string, object?> { ["export_id"] = job.Id, ["chart_ids"] = job.ChartIds, ["format"] = job.Format, ["error"] = job.Error },
        job.CompletedAt ?? job.CreatedAt);
}
