namespace ChartCraft.Infrastructure.Storage;

/// <summary>
/// Serves a locally stored file through a signed link (local storage has no presigned URLs).
/// No bearer token: the signature is the permission. Tampered → 403, expired → 410.
/// </summary>
public sealed class DownloadFileEndpoint(IBlobStorage storage, DownloadLinkSigner signer, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/files/{**key}");
        AllowAnonymous();
        Description(d => d.WithTags("Files")
            .Produces(200, contentType: "application/octet-stream")
            .ProducesProblems(403, 404, 410), clearDefaults: true);
        Summary(s => s.Summary = "Download a file through a signed, expiring link");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var key = Route<string>("key") ?? "";
        var query = HttpContext.Request.Query;
        string? name = query["name"], type = query["type"];
        var check = signer.Check(key, name, type, query["expires"], query["sig"], clock.GetUtcNow());
        if (check == LinkCheck.Tampered)
        {
            await Errors.Problems.WriteAsync(HttpContext, 403, "Invalid download link", "The link signature does not match.");
            return;
        }
        if (check == LinkCheck.Expired)
        {
            await Errors.Problems.WriteAsync(HttpContext, 410, "Download link expired", "Request a new export link.");
            return;
        }
        var stream = key.Length > 0 ? await storage.OpenReadAsync(key, ct) : null;
        if (stream is null)
        {
            await Errors.Problems.WriteAsync(HttpContext, 404, "File not found");
            return;
        }
        HttpContext.Response.Headers.CacheControl = "private, max-age=300";
        await Send.StreamAsync(stream, BlobKeys.SafeFileName(name!), stream.CanSeek ? stream.Length : null, type!, cancellation: ct);
    }
}
