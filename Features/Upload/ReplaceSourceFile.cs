using ChartCraft.Infrastructure.Configuration;
using Wolverine.Marten;

namespace ChartCraft.Features.Upload;

/// <summary>
/// PUT /api/data/sources/{id}/file: a new file for an existing source, read and validated exactly as an upload. The source
/// keeps its id and gets the next version; its charts are redrawn from the new data (a durable message committed with the
/// version). A rejected file changes nothing: the previous version is still served.
/// </summary>
public sealed class ReplaceSourceFileEndpoint(IDocumentStore store, IMartenOutbox outbox, AppSettings app, DataFileIntake intake,
    SourceVersions versions) : EndpointWithoutRequest<DataSourceResponse>
{
    public override void Configure()
    {
        Put("/data/sources/{source_id:guid}/file");
        AllowFileUploads(dontAutoBindFormData: true);
        Description(d => d.WithTags("Data sources")
            .Accepts<UploadFileEndpoint.UploadForm>("multipart/form-data")
            .Produces<DataSourceResponse>(200)
            .ProducesProblems(401, 403, 404, 409, 413, 415, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Replace a data source's file (a new version; its charts are redrawn)";
            s.Description = "Multipart form as for an upload. The answer has the new version; charts on the source are redrawn from "
                            + "the new data, and a chart whose columns are gone or changed type becomes needs_attention.";
            s.Responses[403] = "A plan limit: file_size_mb or stored_mb (the problem's limit says which)";
            s.Responses[409] = "Another replacement of the same source committed first";
            s.Responses[413] = "File larger than MAX_FILE_SIZE_MB";
            s.Responses[415] = "Not a delimited text file or an xlsx workbook (checked by content)";
            s.Responses[422] = "Empty, header-only, unparsable, password-protected or oversized-when-expanded file";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var userId = User.UserId();
        var sourceId = Route<Guid>("source_id");
        // Ownership first: another user's source is a 404 before a byte of the body is read.
        await using (var query = store.QuerySession())
            await query.LoadOwnedSourceAsync(sourceId, userId, ct);

        using var upload = await MultipartUpload.ReceiveAsync(HttpContext.Request, app.MaxFileSizeBytes, ct);
        var data = await intake.ReadAsync(upload, ct);
        await using var session = store.OpenOutboxSession(outbox);
        var source = await session.LoadOwnedSourceAsync(sourceId, userId, ct);
        await versions.AddVersionAsync(session, outbox, source, data, ct);
        await Send.OkAsync(DataSourceResponse.From(source), ct);
    }
}

public sealed record SourceVersionResponse(int Version, string FileName, long FileSize, int RowCount, DateTimeOffset CreatedAt);

/// <summary>
/// GET /api/data/sources/{id}/versions: the current version and the previous ones whose files are kept
/// (SOURCE_VERSIONS_KEPT), newest first. A version whose file was deleted leaves the list with it.
/// </summary>
public sealed class ListSourceVersionsEndpoint(IDocumentStore store) : EndpointWithoutRequest<IReadOnlyList<SourceVersionResponse>>
{
    public override void Configure()
    {
        Get("/data/sources/{source_id:guid}/versions");
        Description(d => d.WithTags("Data sources").Produces<IReadOnlyList<SourceVersionResponse>>(200).ProducesProblems(401, 404),
            clearDefaults: true);
        Summary(s => s.Summary = "Versions of a data source's file, newest first");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var source = await session.LoadOwnedSourceAsync(Route<Guid>("source_id"), User.UserId(), ct);
        var list = source.VersionHistory().OrderByDescending(v => v.Version)
            .Select(v => new SourceVersionResponse(v.Version, v.FileName, v.SizeBytes, v.RowCount, v.CreatedAt)).ToList();
        await Send.OkAsync(list, ct);
    }
}
