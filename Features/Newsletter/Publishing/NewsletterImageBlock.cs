using System.Net;

namespace ChartCraft.Features.Newsletter.Publishing;

/// <summary>
/// The HTML a chart becomes in an email: the PNG (email runs no script) linking to the interactive chart.
/// Every attribute is HTML-encoded, so a title or URL cannot break out into markup.
/// </summary>
public static class NewsletterImageBlock
{
    /// <summary>The usual width of an email body; the PNG is rendered at twice this for sharp high-dpi screens.</summary>
    public const int DisplayWidth = 600;

    /// <summary>The class that marks the block of one publish job, so a retried job does not insert it twice.</summary>
    public static string Marker(Guid publishId) => $"chartcraft-publish-{publishId:N}";

    /// <summary>The block; without <paramref name="linkUrl"/> the image stands alone (a dead link is worse than none).</summary>
    public static string Render(Guid publishId, string imageUrl, string altText, string? linkUrl, int width = DisplayWidth)
    {
        var image = $"<img src=\"{Encode(imageUrl)}\" alt=\"{Encode(altText)}\" width=\"{width}\" " +
                    $"style=\"display:block;width:100%;max-width:{width}px;height:auto;border:0;margin:0 auto\">";
        return $"<div class=\"chartcraft-chart {Marker(publishId)}\" style=\"margin:16px 0;text-align:center\">" +
               (linkUrl is null ? image : $"<a href=\"{Encode(linkUrl)}\" target=\"_blank\">{image}</a>") +
               "</div>";
    }

    /// <summary>Whether the content already holds the block of this job.</summary>
    public static bool Contains(string? html, Guid publishId) => html?.Contains(Marker(publishId), StringComparison.Ordinal) == true;

    /// <summary>The existing content with the block added before its closing &lt;/body&gt; (or at the end when it has none).</summary>
    public static string InsertInto(string? html, string block)
    {
        if (string.IsNullOrEmpty(html)) return block;
        var body = html.LastIndexOf("</body", StringComparison.OrdinalIgnoreCase);
        return body < 0 ? html + block : html.Insert(body, block);
    }

    /// <summary>A whole email document holding only the block, for a new draft campaign.</summary>
    public static string Document(string title, string block) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">" +
        $"<title>{Encode(title)}</title></head><body>{block}</body></html>";

    static string Encode(string value) => WebUtility.HtmlEncode(value);
}
