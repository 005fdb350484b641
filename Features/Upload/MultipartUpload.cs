using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace ChartCraft.Features.Upload;

/// <summary>The form of an upload after streaming: the file on local disk, its original name and the optional sheet.</summary>
public sealed record ReceivedUpload(string TempPath, string FileName, long SizeBytes, string? Sheet) : IDisposable
{
    public void Dispose()
    {
        if (File.Exists(TempPath)) File.Delete(TempPath);
    }
}

/// <summary>
/// Streams a multipart upload to a temporary file, counting bytes as they arrive, so a large body is
/// never held in memory and an oversized file is refused (413) as soon as it crosses the limit,
/// whatever Content-Length claimed.
/// </summary>
public static class MultipartUpload
{
    const int MaxSheetNameLength = 100;

    public static async Task<ReceivedUpload> ReceiveAsync(HttpRequest request, long maxFileBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            throw new ProblemException(415, "Unsupported request", "Send the file as multipart/form-data in a field named 'file'.");

        // Multipart framing adds a little; anything far above the limit is refused before reading it.
        if (request.ContentLength > maxFileBytes + 64 * 1024) throw TooLarge(maxFileBytes);

        var reader = new MultipartReader(boundary, request.Body);
        string? tempPath = null, fileName = null, sheet = null;
        long size = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition() && name == "file" && tempPath is null)
                {
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    tempPath = Path.Combine(Path.GetTempPath(), $"chartcraft-upload-{Guid.NewGuid():N}");
                    size = await CopyLimitedAsync(section.Body, tempPath, maxFileBytes, ct);
                }
                else if (name == "sheet" && !disposition.IsFileDisposition())
                {
                    using var text = new StreamReader(section.Body);
                    var value = (await text.ReadToEndAsync(ct)).Trim();
                    sheet = value.Length == 0 ? null : value.Length > MaxSheetNameLength ? value[..MaxSheetNameLength] : value;
                }
            }
        }
        catch
        {
            if (tempPath is not null) File.Delete(tempPath);
            throw;
        }

        if (tempPath is null)
            throw new ProblemException(422, "No file uploaded", "Send the file in a multipart field named 'file'.",
                new Dictionary<string, string[]> { ["file"] = ["is required"] });
        return new ReceivedUpload(tempPath, fileName ?? "", size, sheet);
    }

    static async Task<long> CopyLimitedAsync(Stream source, string path, long maxBytes, CancellationToken ct)
    {
        var buffer = new byte[81920];
        long total = 0;
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, buffer.Length, useAsync: true);
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > maxBytes) throw TooLarge(maxBytes);
            await target.WriteAsync(buffer.AsMemory(0, read), ct);
        }
        return total;
    }

    static ProblemException TooLarge(long maxBytes) =>
        new(413, "File too large", $"The file is larger than the {maxBytes / (1024 * 1024)} MB limit.");
}
