using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Plans;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Storage;
using Wolverine.Marten;

namespace ChartCraft.Features.Upload;

public sealed record UploadResponse(
    Guid DataSourceId,
    string FileName,
    string FileType,
    long SizeBytes,
    int RowCount,
    int ColumnCount,
    IReadOnlyList<ColumnInfo> ColumnInfo,
    IReadOnlyList<string> SuggestedCharts,
    IReadOnlyList<string> Warnings);

/// <summary>
/// POST /api/data/upload: stream the file to disk, validate it by content, parse and type it, keep the
/// original in blob storage and the metadata in a DataSource document. A rejected file leaves nothing behind.
/// </summary>
public sealed class UploadFileEndpoint(IDocumentStore store, IMartenOutbox outbox, AppSettings app, IBlobStorage storage,
    DataFileIntake intake, DataSetCache cache, PlanEnforcement plans, TimeProvider clock)
    : EndpointWithoutRequest<UploadResponse>
{
    public override void Configure()
    {
        Post("/data/upload");
        AllowFileUploads(dontAutoBindFormData: true);
        Description(d => d.WithTags("Data sources")
            .Accepts<UploadForm>("multipart/form-data")
            .Produces<UploadResponse>(201)
            .ProducesProblems(401, 403, 413, 415, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Upload a CSV, TSV, TXT or XLSX file";
            s.Description = "Multipart form with the file in field 'file' and, for workbooks, an optional 'sheet' name.";
            s.Responses[403] = "A plan limit: file_size_mb, sources or stored_mb (the problem's limit says which)";
            s.Responses[413] = "File larger than MAX_FILE_SIZE_MB";
            s.Responses[415] = "Not a delimited text file or an xlsx workbook (checked by content)";
            s.Responses[422] = "Empty, header-only, unparsable, password-protected or oversized-when-expanded file";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var userId = User.UserId();
        using var upload = await MultipartUpload.ReceiveAsync(HttpContext.Request, app.MaxFileSizeBytes, ct);
        var data = await intake.ReadAsync(upload, ct);

        var source = new DataSource { Id = Guid.CreateVersion7(), UserId = userId, CreatedAt = clock.GetUtcNow() };
        var storageKey = DataFileIntake.StorageKeyFor(userId, source.Id, 1, data.Parsed.FileType);
        // Suggesting charts is CPU work; storing the original is I/O: overlap them.
        var suggest = Task.Run(() => ChartRecommender.SuggestTypes(data.Parsed.Data), ct);
        var columns = await intake.StoreAsync(data, storageKey, ct);
        DataFileIntake.Apply(source, data, columns, storageKey, 1, source.CreatedAt);
        var suggested = await suggest;
        await NewSource.SaveAsync(source, store, outbox, plans, storage, source.CreatedAt, ct);
        cache.Put(source.Id, data.Parsed.Data, source.Version);

        await Send.ResponseAsync(new UploadResponse(source.Id, source.FileName, source.FileType, source.SizeBytes,
            source.RowCount, source.ColumnCount, source.Columns, suggested, source.Warnings), 201, ct);
    }

    /// <summary>The multipart form, for the OpenAPI document.</summary>
    public sealed class UploadForm
    {
        public IFormFile File { get; set; } = null!;
        public string? Sheet { get; set; }
    }
}
