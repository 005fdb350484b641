using System.Net;
using System.Net.Http.Headers;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Features.Upload;

/// <summary>A fetch that brought no usable file; the message says why, for <c>last_fetch_error</c> and the 422 of a create.</summary>
public sealed class SourceFetchException(string message) : Exception(message);

/// <summary>What a fetch brought: a file, or nothing because the server says it has not changed (304).</summary>
/// <param name="File">The body on local disk, named so its extension says its kind; null when not modified.</param>
public sealed record FetchedFile(ReceivedUpload? File, string? ETag, string? LastModified) : IDisposable
{
    public bool NotModified => File is null;
    public void Dispose() => File?.Dispose();
}

/// <summary>The guard as source URLs configure it (SOURCE_URL_ALLOW_LOOPBACK_TARGETS / _PRIVATE_TARGETS).</summary>
public sealed class SourceUrlGuard(IHostAddressResolver resolver, DataSourceSettings settings)
    : OutboundTargetGuard(resolver, settings.AllowLoopbackUrls, settings.AllowPrivateUrls);

/// <summary>
/// Fetches a data source's file from its URL: through <see cref="SourceUrlGuard"/> on every connection (redirects included),
/// with the last fetch's ETag and Last-Modified as conditions, and reading at most MAX_FILE_SIZE_MB (it stops reading past it).
/// </summary>
public sealed class SourceFetcher(IHttpClientFactory clients, AppSettings app, DataSourceSettings settings)
{
    public const string HttpClientName = "source-fetch";

    public async Task<FetchedFile> FetchAsync(string url, string? etag, string? lastModified, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
        if (lastModified is not null && DateTimeOffset.TryParse(lastModified, out var since)) request.Headers.IfModifiedSince = since;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.FetchTimeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var newTag = response.Headers.ETag?.ToString();
            var newModified = response.Content.Headers.LastModified?.ToString("R");
            if (response.StatusCode == HttpStatusCode.NotModified) return new FetchedFile(null, newTag ?? etag, newModified ?? lastModified);
            if (!response.IsSuccessStatusCode)
                throw new SourceFetchException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
            var file = await SaveAsync(response, url, timeout.Token);
            return new FetchedFile(file, newTag, newModified);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SourceFetchException($"no complete answer within {settings.FetchTimeout.TotalSeconds:0} seconds");
        }
        catch (HttpRequestException ex) when (ex.InnerException is TargetRefusedException refused)
        {
            throw new SourceFetchException($"refused: {refused.Message}; sources may only be fetched from public addresses");
        }
        catch (HttpRequestException)
        {
            // Not the socket's own words: they would name the addresses a host name resolved to.
            throw new SourceFetchException($"could not fetch from {new Uri(url).Host}");
        }
    }

    async Task<ReceivedUpload> SaveAsync(HttpResponseMessage response, string url, CancellationToken ct)
    {
        var limit = app.MaxFileSizeBytes;
        if (response.Content.Headers.ContentLength > limit) throw TooLarge(limit);
        var path = Path.Combine(Path.GetTempPath(), $"chartcraft-fetch-{Guid.NewGuid():N}");
        long total = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                // Whatever Content-Length said: reading stops at the limit.
                if (total > limit) throw TooLarge(limit);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        return new ReceivedUpload(path, FileNameOf(response, url), total, null);
    }

    static SourceFetchException TooLarge(long limit) =>
        new($"the file is larger than the limit of {UploadProblems.Megabytes(limit)}");

    /// <summary>
    /// The name the file is read under: the server's Content-Disposition name, else the URL's last segment, given the
    /// extension of its Content-Type when it has none of the accepted ones (an export URL like /export?format=csv).
    /// </summary>
    public static string FileNameOf(HttpResponseMessage response, string url)
    {
        var disposition = response.Content.Headers.ContentDisposition;
        var named = disposition?.FileNameStar ?? disposition?.FileName?.Trim('"');
        if (named is not null && DataFileTypes.FromFileName(named) is not null) return named;
        var segment = Uri.UnescapeDataString(new Uri(url).Segments.LastOrDefault()?.Trim('/') ?? "");
        if (DataFileTypes.FromFileName(segment) is not null) return segment;
        var stem = segment.Length > 0 ? segment : "data";
        return response.Content.Headers.ContentType?.MediaType switch
        {
            "text/tab-separated-values" => $"{stem}.tsv",
            "text/plain" => $"{stem}.txt",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => $"{stem}.xlsx",
            _ => $"{stem}.csv",
        };
    }
}
