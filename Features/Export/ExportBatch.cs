using ChartCraft.Features.Charts;
using ChartCraft.Features.Plans;
using Wolverine.Marten;

namespace ChartCraft.Features.Export;

/// <summary>
/// One request of a batch: an image request (chart_id, format png|svg, size...) or a PDF request (chart_ids, title),
/// each in the shape of its own endpoint. Without a format, one with chart_ids and no chart_id is a PDF.
/// </summary>
public sealed record BatchExportItem(
    string? Format = null,
    Guid? ChartId = null,
    IReadOnlyList<Guid>? ChartIds = null,
    int Width = 800,
    int Height = 600,
    int Dpi = 96,
    string Theme = "light",
    bool Transparent = false,
    string? Title = null,
    bool IncludeInsights = true)
{
    public string ResolvedFormat() => Format ?? (ChartId is null && ChartIds is { Count: > 0 } ? ExportFormats.Pdf : ExportFormats.Png);

    public IEnumerable<Guid> NamedCharts() => ChartId is { } id && ResolvedFormat() != ExportFormats.Pdf ? [id] : ChartIds ?? [];

    public double Megapixels() => ResolvedFormat() == ExportFormats.Pdf
        ? ExportCost.ReportMegapixels(ChartIds?.Distinct().Count() ?? 0)
        : ExportCost.Megapixels(ResolvedFormat(), Width, Height, Dpi);
}

public sealed record BatchExportRequest(IReadOnlyList<BatchExportItem> Requests);

public sealed record BatchExportResponse(Guid BatchId, IReadOnlyList<ExportResponse> Exports);

public sealed class BatchExportValidator : Validator<BatchExportRequest>
{
    public const int MaxRequests = 50;

    public BatchExportValidator()
    {
        var limits = Resolve<ExportSettings>().Limits;
        RuleFor(x => x.Requests).Cascade(CascadeMode.Stop).NotEmpty().Must(r => r.Count <= MaxRequests).WithMessage($"at most {MaxRequests} requests per batch")
            .Must(r => r.Where(InRange).Sum(i => i.Megapixels()) <= limits.MaxBatchMegapixels)
            .WithMessage(r => string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "the batch draws {0:0.#} megapixels; at most {1} per batch: split it or lower sizes and dpi",
                r.Requests.Where(InRange).Sum(i => i.Megapixels()), limits.MaxBatchMegapixels));
        RuleForEach(x => x.Requests).ChildRules(item =>
        {
            item.RuleFor(i => i.Format).Must(f => f is null or ExportFormats.Png or ExportFormats.Svg or ExportFormats.Pdf)
                .WithMessage("must be 'png', 'svg' or 'pdf'");
            item.RuleFor(i => i.ChartId).NotEmpty().When(i => i.ResolvedFormat() != ExportFormats.Pdf).WithMessage("is required for an image");
            item.RuleFor(i => i.ChartIds).NotEmpty().When(i => i.ResolvedFormat() == ExportFormats.Pdf).WithMessage("is required for a pdf");
            item.RuleFor(i => i.ChartIds!.Count).LessThanOrEqualTo(ExportPdfValidator.MaxCharts).When(i => i.ChartIds is not null)
                .OverridePropertyName("chart_ids");
            item.RuleFor(i => i.Width).InclusiveBetween(100, 4000);
            item.RuleFor(i => i.Height).InclusiveBetween(100, 4000);
            item.RuleFor(i => i.Dpi).InclusiveBetween(72, 600);
            item.RuleFor(i => i.Theme).Must(t => t is "light" or "dark").WithMessage("must be 'light' or 'dark'");
            item.RuleFor(i => i.Title).MaximumLength(200);
            item.RuleFor(i => i).Custom((i, context) =>
            {
                if (i.ResolvedFormat() != ExportFormats.Pdf
                    && ExportCost.TooLarge(i.ResolvedFormat(), i.Width, i.Height, i.Dpi, limits.MaxImageMegapixels) is { } problem)
                    context.AddFailure(problem.Field, problem.Message);
            }).When(InRange);
        });
    }

    /// <summary>Sizes out of range are refused by their own rules; pixels are counted only for the rest.</summary>
    static bool InRange(BatchExportItem i) => i.Width is >= 100 and <= 4000 && i.Height is >= 100 and <= 4000 && i.Dpi is >= 72 and <= 600;
}

/// <summary>
/// POST /api/export/batch: up to 50 exports (at most EXPORT_MAX_BATCH_MEGAPIXELS together), each its own job and durable
/// message, all committed together; 429 when they would take the user past the queued limits.
/// Every chart named must be the caller's (else 404 and nothing is queued); after that each job succeeds or
/// fails on its own (a chart deleted meanwhile fails only its job).
/// </summary>
public sealed class BatchExportEndpoint(IDocumentStore store, IMartenOutbox outbox, ExportResponses responses, ExportSettings settings,
    PlanEnforcement plans, TimeProvider clock) : Endpoint<BatchExportRequest, BatchExportResponse>
{
    public override void Configure()
    {
        Post("/export/batch");
        Description(d => d.WithTags("Export").Accepts<BatchExportRequest>("application/json")
            .Produces<BatchExportResponse>(202).ProducesProblems(400, 401, 404, 422, 429), clearDefaults: true);
        Summary(s => s.Summary = "Queue up to 50 image/pdf exports");
    }

    public override async Task HandleAsync(BatchExportRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        var batchId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await using var session = store.OpenOutboxSession(outbox);

        await session.LoadOwnedChartsAsync(req.Requests.SelectMany(r => r.NamedCharts()), userId, ct);

        var jobs = req.Requests.Select(r => r.ResolvedFormat() == ExportFormats.Pdf
            ? ExportJobs.Pdf(userId, r.ChartIds!.Distinct().ToList(), r.Title ?? "Chart report", r.IncludeInsights, now, batchId)
            : ExportJobs.Image(userId, r.ChartId!.Value, new ImageExportOptions(r.ResolvedFormat(), r.Width, r.Height, r.Dpi, r.Theme, r.Transparent), now, batchId))
            .ToList();

        // Each export of the batch is one of the day's exports; all of them fit or none is queued.
        await using (var planned = await plans.ConsumeDailyAsync(userId, PlanLimit.ExportsPerDay, ct, units: jobs.Count))
        {
            await ExportJobs.QueueAsync(session, outbox, jobs, settings.Limits, ct);
            planned.Keep();
        }

        var exports = new List<ExportResponse>();
        foreach (var job in jobs) exports.Add(await responses.ToResponseAsync(job, ct));
        await Send.ResponseAsync(new BatchExportResponse(batchId, exports), 202, ct);
    }
}
