using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Newsletter.Publishing;

/// <summary>What goes into the newsletter: the chart's PNG, its alt text and where a click leads.</summary>
/// <param name="LinkUrl">Where a click on the image leads; null for an image without a link.</param>
public sealed record NewsletterChart(Guid PublishId, Guid UserId, Guid ChartId, string Title, string AltText, string? LinkUrl, byte[] Png);

/// <summary>Where the chart ended up.</summary>
public sealed record PublishOutcome(string ImageUrl, string? CampaignId, string? BroadcastId);

/// <summary>
/// Puts a chart into a Mailchimp campaign or a Kit broadcast: into the content of an existing one (kept as
/// it is, the chart added before &lt;/body&gt;), or into a new draft. Plain code: provider calls and storage only.
/// </summary>
public sealed class NewsletterPublisher(MailchimpClient mailchimp, KitClient kit, IBlobStorage storage, NewsletterPlatformSettings settings)
{
    /// <summary>
    /// Publishes into <paramref name="targetId"/> (a campaign or broadcast id; null creates a draft).
    /// <paramref name="draftCreated"/> hears a new draft's id as soon as it exists, so a retry fills it instead of making another.
    /// </summary>
    public Task<PublishOutcome> PublishAsync(string provider, IntegrationCredentials credentials, NewsletterChart chart, string? targetId,
        Func<string, Task> draftCreated, CancellationToken ct) => provider == NewsletterProviders.Mailchimp
        ? ToMailchimpAsync(credentials, chart, targetId, draftCreated, ct)
        : ToKitAsync(credentials, chart, targetId, draftCreated, ct);

    async Task<PublishOutcome> ToMailchimpAsync(IntegrationCredentials credentials, NewsletterChart chart, string? targetId,
        Func<string, Task> draftCreated, CancellationToken ct)
    {
        string? html = null;
        if (targetId is not null)
        {
            // Read first: a wrong campaign id fails before anything is uploaded.
            html = await mailchimp.GetCampaignHtmlAsync(credentials, targetId, ct);
        }
        // Mailchimp hosts the image itself (File Manager), so the email does not depend on our storage.
        var file = await mailchimp.UploadFileAsync(credentials, FileName(chart), chart.Png, ct);
        var block = NewsletterImageBlock.Render(chart.PublishId, file.FullSizeUrl, chart.AltText, chart.LinkUrl);
        if (targetId is null)
        {
            targetId = await mailchimp.CreateDraftCampaignAsync(credentials, chart.Title, $"ChartCraft: {chart.Title}", ct);
            await draftCreated(targetId);
        }
        if (!NewsletterImageBlock.Contains(html, chart.PublishId))
            await mailchimp.SetCampaignHtmlAsync(credentials, targetId,
                string.IsNullOrWhiteSpace(html) ? NewsletterImageBlock.Document(chart.Title, block) : NewsletterImageBlock.InsertInto(html, block), ct);
        return new PublishOutcome(file.FullSizeUrl, targetId, null);
    }

    async Task<PublishOutcome> ToKitAsync(IntegrationCredentials credentials, NewsletterChart chart, string? targetId,
        Func<string, Task> draftCreated, CancellationToken ct)
    {
        KitBroadcast? existing = null;
        if (targetId is not null)
            existing = await kit.GetBroadcastAsync(credentials, KitBroadcastId(targetId), ct);
        // Kit has no image upload: the email links to our copy of the PNG through a long-lived link.
        var imageUrl = await HostImageAsync(chart, ct);
        var block = NewsletterImageBlock.Render(chart.PublishId, imageUrl, chart.AltText, chart.LinkUrl);
        if (existing is null)
        {
            var created = await kit.CreateBroadcastAsync(credentials, new JsonObject
            {
                ["subject"] = chart.Title,
                ["content"] = block,
                ["description"] = $"ChartCraft: {chart.Title}",
                ["preview_text"] = chart.AltText,
                ["public"] = false,
                ["send_at"] = null, // null keeps it a draft
            }, ct);
            var id = created.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await draftCreated(id);
            return new PublishOutcome(imageUrl, null, id);
        }
        if (!NewsletterImageBlock.Contains(existing.Content, chart.PublishId))
            await kit.UpdateBroadcastAsync(credentials, existing.Id, KitUpdate(existing, NewsletterImageBlock.InsertInto(existing.Content, block)), ct);
        return new PublishOutcome(imageUrl, null, existing.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The PUT body: the new content plus the broadcast's own settings as read, so nothing reverts to an account
    /// default (Kit documents that a missing email_template_id or email_address means the default). Only values
    /// the update schema accepts are echoed; send_at stays out so a draft stays a draft.
    /// </summary>
    public static JsonObject KitUpdate(KitBroadcast broadcast, string content)
    {
        var update = new JsonObject { ["content"] = content };
        var raw = broadcast.Raw;
        foreach (var field in new[] { "subject", "preview_text", "description", "published_at", "email_address", "thumbnail_alt", "thumbnail_url" })
            if (ProviderJson.String(raw[field]) is { } value)
                update[field] = value;
        if (raw["public"] is JsonValue isPublic && isPublic.TryGetValue<bool>(out var publicFlag)) update["public"] = publicFlag;
        if (ProviderJson.Long(raw["email_template"]?["id"]) is { } templateId) update["email_template_id"] = templateId;
        if (raw["subscriber_filter"] is JsonArray filter && filter.Count > 0 && SegmentOrTagFilter(filter))
            update["subscriber_filter"] = filter.DeepClone();
        return update;
    }

    /// <summary>Filters the update accepts: groups of {type, ids} (Kit also reports {type: all_subscribers}, which it does not take back).</summary>
    static bool SegmentOrTagFilter(JsonArray filter) =>
        filter.All(group => group is JsonObject o && o.Count == 1 && o.First().Value is JsonArray items
                            && items.All(i => i?["ids"] is JsonArray && ProviderJson.String(i["type"]) is "segment" or "tag"));

    public static long KitBroadcastId(string targetId) =>
        long.TryParse(targetId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new ProviderException(NewsletterProviders.ConvertKit, 404, $"'{targetId}' is not a broadcast id");

    async Task<string> HostImageAsync(NewsletterChart chart, CancellationToken ct)
    {
        // A copy of its own: export files may be cleaned up, a sent email keeps pointing here.
        var key = $"newsletter/{chart.UserId:N}/{chart.PublishId:N}.png";
        using (var png = new MemoryStream(chart.Png, writable: false))
            await storage.PutAsync(key, png, "image/png", ct);
        // On S3 the link is presigned, so the storage caps it at the 7 days SigV4 allows.
        var link = await storage.GetDownloadLinkAsync(key, FileName(chart), "image/png", settings.ImageLinkLifetime, ct);
        return link.Url.AbsoluteUri;
    }

    /// <summary>"chartcraft-monthly-revenue-1a2b3c4d.png": readable in the provider's file list, unique per job.</summary>
    public static string FileName(NewsletterChart chart)
    {
        var slug = new StringBuilder();
        foreach (var c in chart.Title.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') slug.Append(c);
            else if (slug.Length > 0 && slug[^1] != '-') slug.Append('-');
            if (slug.Length >= 40) break;
        }
        var name = slug.ToString().Trim('-');
        return $"chartcraft-{(name.Length > 0 ? name + "-" : "")}{chart.PublishId.ToString("N")[..8]}.png";
    }
}
