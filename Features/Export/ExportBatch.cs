using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Security;
using FastEndpoints;
using FluentValidation;
using Marten;
using Wolverine.Marten;

namespace ChartCraft.Features.Export;

/// <summary>One request of a batch: an image (chart_id, format png|svg, size...) or a PDF (format pdf, chart_ids, title).</summary>
public sealed record BatchExportItem(
    string Format = ExportFormats.Png,
    Guid? ChartId = null,
    IReadOnlyList<Guid>? ChartIds = null,
    int Width = 800,
    int Height = 600,
    int Dpi = 96,
    string Theme = "light",
    bool Transparent = false,
    string? Title = null,
    bool IncludeInsights = true);

public sealed record BatchExportRequest(IReadOnlyList<BatchExportItem> Requests);

public sealed record BatchExportResponse(Guid BatchId, IReadOnlyList<ExportResponse> Exports);

public sealed class BatchExportValidator : Validator<BatchExportRequest>
{
    public const int MaxRequests = 50;

    public BatchExportValidator()
    {
        RuleFor(x => x.Requests).NotEmpty().Must(r => r.Count <= MaxRequests).WithMessage($"at most {MaxRequests} requests per batch");
        RuleForEach(x => x.Requests).ChildRules(item =>
        {
            item.RuleFor(i => i.Format).Must(f => f is ExportFormats.Png or ExportFormats.Svg or ExportFormats.Pdf)
                .WithMessage("must be 'png', 'svg' or 'pdf'");
            item.RuleFor(i => i.ChartId).NotEmpty().When(i => i.Format != ExportFormats.Pdf).WithMessage("is required for an image");
            item.RuleFor(i => i.ChartIds).NotEmpty().When(i => i.Format == ExportFormats.Pdf).WithMessage("is required for a pdf");
            item.RuleFor(i => i.ChartIds!.Count).LessThanOrEqualTo(ExportPdfValidator.MaxCharts).When(i => i.ChartIds is not null)
                .OverridePropertyName("chart_ids");
            item.RuleFor(i => i.Width).InclusiveBetween(100, 4000);
            item.RuleFor(i => i.Height).InclusiveBetween(100, 4000);
            item.RuleFor(i => i.Dpi).InclusiveBetween(72, 600);
            item.RuleFor(i => i.Theme).Must(t => t is "light" or "dark").WithMessage("must be 'light' or 'dark'");
            item.RuleFor(i => i.Title).MaximumLength(200);
        });
    }
}

/// <summary>
/// POST /api/export/batch: up to 50 exports, each its own job and durable message, all committed together.
/// Each job succeeds or fails on its own (a chart deleted meanwhile fails only its job).
/// </summary>
public sealed class BatchExportEndpoint(ExportResponses responses, TimeProvider clock) : Endpoint<BatchExportRequest, BatchExportResponse>
{
    public override void Configure()
    {
        Post("/export/batch");
        Description(d => d.WithTags("Export").Accepts<BatchExportRequest>("application/json")
            .Produces<BatchExportResponse>(202).ProducesProblems(400, 401, 422), clearDefaults: true);
        Summary(s => s.Summary = "Queue up to 50 image/pdf exports");
    }

    public override async Task HandleAsync(BatchExportRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        var batchId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var jobs = req.Requests.Select(r => r.Format == ExportFormats.Pdf
            ? ExportJobs.Pdf(userId, r.ChartIds!.Distinct().ToList(), r.Title ?? "Chart report", r.IncludeInsights, now, batchId)
            : ExportJobs.Image(userId, r.ChartId!.Value, new ImageExportOptions(r.Format, r.Width, r.Height, r.Dpi, r.Theme, r.Transparent), now, batchId))
            .ToList();

        await using var session = Resolve<IDocumentStore>().LightweightSession();
        var outbox = Resolve<IMartenOutbox>();
        outbox.Enroll(session);
        foreach (var job in jobs)
        {
            session.Store(job);
            await outbox.PublishAsync(new RunExport(job.Id));
        }
        await session.SaveChangesAsync(ct);

        var exports = new List<ExportResponse>();
        foreach (var job in jobs) exports.Add(await responses.ToResponseAsync(job, ct));
        await Send.ResponseAsync(new BatchExportResponse(batchId, exports), 202, ct);
    }
}
