using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Infrastructure.Storage;

/// <summary>AWS S3 or any S3-compatible server (MinIO, s3rver) with path-style addressing and presigned downloads.</summary>
public sealed class S3BlobStorage : IBlobStorage, IDisposable
{
    readonly AmazonS3Client _client;
    /// <summary>Signs download links for the public endpoint; the same client as <see cref="_client"/> when there is none.</summary>
    readonly AmazonS3Client _signer;
    readonly string _bucket;
    readonly bool _httpLinks;

    public S3BlobStorage(StorageSettings settings)
    {
        _bucket = settings.Bucket ?? throw new InvalidOperationException("AWS_S3_BUCKET is not set");
        _client = CreateClient(settings, settings.EndpointUrl);
        // A SigV4 signature covers the Host header, so a link must be signed for the address the browser will use
        // (http://localhost:9000), not the one the app reaches S3 at (http://minio:9000). Signing needs no network.
        var linkEndpoint = settings.LinkEndpointUrl;
        _signer = linkEndpoint == settings.EndpointUrl ? _client : CreateClient(settings, linkEndpoint);
        _httpLinks = linkEndpoint?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true;
    }

    static AmazonS3Client CreateClient(StorageSettings settings, string? endpoint)
    {
        var config = new AmazonS3Config
        {
            // S3-compatible servers checksum differently; only send checksums where S3 requires them.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = settings.Region;
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);

        return settings.AccessKeyId is { } id && settings.SecretAccessKey is { } secret
            ? new AmazonS3Client(new BasicAWSCredentials(id, secret), config)
            : new AmazonS3Client(config); // instance role / environment credentials
    }

    public string Kind => "s3";

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        await Reach(() => _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = BlobKeys.Validate(key),
            InputStream = content,
            ContentType = contentType,
            AutoCloseStream = false,
            // Chunked signing frames the body in a way some S3-compatible servers store verbatim.
            UseChunkEncoding = false,
        }, cancellationToken));
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Reach(() => _client.GetObjectAsync(_bucket, BlobKeys.Validate(key), cancellationToken));
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            await Reach(() => _client.GetObjectMetadataAsync(_bucket, BlobKeys.Validate(key), cancellationToken));
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var metadata = await Reach(() => _client.GetObjectMetadataAsync(_bucket, BlobKeys.Validate(key), cancellationToken));
            return new BlobInfo(key, metadata.ContentLength, metadata.LastModified ?? DateTime.UtcNow);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Reach(() => _client.DeleteObjectAsync(_bucket, BlobKeys.Validate(key), cancellationToken));

    public async Task<IReadOnlyList<BlobInfo>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var items = new List<BlobInfo>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await Reach(() => _client.ListObjectsV2Async(request, cancellationToken));
            // The SDK returns null instead of an empty list when nothing matches.
            foreach (var o in response.S3Objects ?? [])
                items.Add(new BlobInfo(o.Key, o.Size ?? 0, o.LastModified ?? DateTime.UtcNow));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return items;
    }

    public async Task<IReadOnlyList<string>> ListTopFoldersAsync(CancellationToken cancellationToken = default)
    {
        var folders = new List<string>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Delimiter = "/" };
        ListObjectsV2Response response;
        do
        {
            response = await Reach(() => _client.ListObjectsV2Async(request, cancellationToken));
            folders.AddRange((response.CommonPrefixes ?? []).Select(p => p.TrimEnd('/')));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return folders.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A thousand keys per DeleteObjects request (the most S3 takes), not one request per object.</summary>
    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var keys = (await ListAsync(IBlobStorage.FolderPrefix(prefix), cancellationToken)).Select(b => b.Key).ToList();
        foreach (var chunk in keys.Chunk(1000))
        {
            var response = await Reach(() => _client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = _bucket,
                Objects = chunk.Select(k => new KeyVersion { Key = k }).ToList(),
                Quiet = true,
            }, cancellationToken));
            if (response.DeleteErrors is { Count: > 0 } errors)
                throw new IOException($"S3 refused to delete {errors.Count} object(s), first {errors[0].Key}: {errors[0].Code}");
        }
        return keys.Count;
    }

    /// <summary>
    /// The longest link handed out. SigV4 refuses X-Amz-Expires above 604 800 s (7 days), and the SDK turns our absolute
    /// expiry into seconds from its own clock-skew-corrected "now", rounding: asking for exactly 7 days can come out
    /// as 604 801 s, a link S3 rejects. A minute of margin keeps every link valid.
    /// </summary>
    public static readonly TimeSpan MaxLinkLifetime = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public async Task<DownloadLink> GetDownloadLinkAsync(string key, string fileName, string contentType, TimeSpan lifetime,
        CancellationToken cancellationToken = default)
    {
        var expires = DateTime.UtcNow.Add(lifetime > MaxLinkLifetime ? MaxLinkLifetime : lifetime);
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = BlobKeys.Validate(key),
            Verb = HttpVerb.GET,
            Expires = expires,
            Protocol = _httpLinks ? Protocol.HTTP : Protocol.HTTPS,
        };
        request.ResponseHeaderOverrides.ContentType = contentType;
        request.ResponseHeaderOverrides.ContentDisposition = $"attachment; filename=\"{BlobKeys.SafeFileName(fileName)}\"";
        var url = await _signer.GetPreSignedURLAsync(request);
        return new DownloadLink(new Uri(url), new DateTimeOffset(expires, TimeSpan.Zero));
    }

    public async Task CheckAsync(CancellationToken cancellationToken = default) =>
        await Reach(() => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "health/", MaxKeys = 1 }, cancellationToken));

    /// <summary>
    /// A refused, dropped or failing connection, or S3 answering that it is overloaded, is an outage (503 with
    /// Retry-After, see <see cref="StorageUnavailableException"/>), not a bug; other S3 answers pass through.
    /// </summary>
    static async Task<T> Reach<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or IOException
                                   || ex is AmazonServiceException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError }
                                   || ex is AmazonClientException)
        {
            throw new StorageUnavailableException(ex);
        }
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_signer, _client)) _signer.Dispose();
        _client.Dispose();
    }
}
