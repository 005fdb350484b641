using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Charts;

/// <summary>
/// The <c>thumbnail_url</c> of a chart: a link an &lt;img&gt; loads without a bearer token, app-signed
/// (<see cref="DownloadLinkSigner"/>, served by GET /api/files whatever the storage). It stays valid until the end of the
/// next UTC day and is the same for a whole day, so lists hand out one URL and browsers cache the image. A thumbnail of
/// an older revision is never shown: until the current one is rendered the URL is null.
/// </summary>
public sealed class ThumbnailLinks(DownloadLinkSigner signer, PublicUrls urls, TimeProvider clock)
{
    public const string ContentType = "image/png";

    public string? UrlOf(Chart chart)
    {
        if (chart.ThumbnailKey is not { } key || chart.ThumbnailRevision != chart.Revision) return null;
        var expires = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(2);
        return urls.To($"/api/files/{key}?{signer.Sign(key, "thumbnail.png", ContentType, expires)}");
    }
}
