using System.IO.Compression;
using System.Text.Json;
using ChartCraft.Features.Auth;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Features.Templates;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Webhooks;
using ChartCraft.Infrastructure.Storage;

namespace ChartCraft.Features.Account;

/// <summary>
/// Writes the zip of everything a user owns:
/// <code>
/// README.txt
/// account.json                          the profile (never the password hash)
/// sources/{id}/source.json              how the file was read: columns, types, encoding, sheet
/// sources/{id}/{file name}              the original file, byte for byte
/// sources/{id}/versions/{n}/{file name} each kept previous version of it
/// charts/{id}/chart.json                the chart as the API shows it
/// charts/{id}/history.json              every event of its stream, oldest first, with its data
/// integrations.json                     newsletter connections, without their keys or tokens
/// webhooks.json                         webhook subscriptions, without their signing secrets
/// templates.json                        saved chart templates
/// </code>
/// Entries are written one at a time into a stream (a temporary file), so no more than one original file or chart
/// history is in memory at once. Integrations and webhooks are written from their API views, which name the fields
/// they show: a credential added to the documents later cannot slip into the zip.
/// </summary>
public sealed class AccountArchiveWriter(IBlobStorage storage)
{
    static readonly JsonSerializerOptions Json = new(Api.Json) { WriteIndented = true };

    public async Task WriteAsync(IQuerySession session, Guid userId, Stream output, DateTimeOffset now, CancellationToken ct)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await WriteTextAsync(zip, "README.txt", Readme(now), ct);
        var user = await session.LoadAsync<User>(userId, ct);
        if (user is not null) await WriteJsonAsync(zip, "account.json", UserResponse.From(user), ct);
        await WriteSourcesAsync(zip, session, userId, ct);
        await WriteChartsAsync(zip, session, userId, ct);

        var integrations = await session.Query<Integration>().OwnedBy(userId).ToListAsync(ct);
        await WriteJsonAsync(zip, "integrations.json", integrations.OrderBy(i => i.Provider).Select(IntegrationResponse.From).ToList(), ct);
        var webhooks = await session.Query<WebhookSubscription>().OwnedBy(userId).OrderBy(w => w.CreatedAt).ToListAsync(ct);
        await WriteJsonAsync(zip, "webhooks.json", webhooks.Select(WebhookResponse.From).ToList(), ct);
        var templates = await session.Query<ChartTemplate>().OwnedBy(userId).OrderBy(t => t.CreatedAt).ToListAsync(ct);
        await WriteJsonAsync(zip, "templates.json", templates.Select(TemplateResponse.From).ToList(), ct);
    }

    async Task WriteSourcesAsync(ZipArchive zip, IQuerySession session, Guid userId, CancellationToken ct)
    {
        var sources = await session.Query<DataSource>().OwnedBy(userId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        foreach (var source in sources)
        {
            var folder = $"sources/{source.Id}/";
            await WriteJsonAsync(zip, folder + "source.json", DataSourceResponse.From(source), ct);
            await CopyFileAsync(zip, source.StorageKey, folder + BlobKeys.SafeFileName(source.FileName, "original"), ct);
            foreach (var version in source.VersionHistory().Where(v => v.StorageKey != source.StorageKey))
                await CopyFileAsync(zip, version.StorageKey, $"{folder}versions/{version.Version}/{BlobKeys.SafeFileName(version.FileName, "original")}", ct);
        }
    }

    async Task CopyFileAsync(ZipArchive zip, string storageKey, string name, CancellationToken ct)
    {
        await using var original = await storage.OpenReadAsync(storageKey, ct);
        if (original is null) return; // the file went missing from storage: the metadata is all there is
        await using var target = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct);
        await original.CopyToAsync(target, ct);
    }

    static async Task WriteChartsAsync(ZipArchive zip, IQuerySession session, Guid userId, CancellationToken ct)
    {
        var charts = await session.Query<Chart>().OwnedBy(userId).OrderBy(c => c.CreatedAt).ToListAsync(ct);
        foreach (var chart in charts)
        {
            var folder = $"charts/{chart.Id}/";
            var views = (await session.LoadAsync<ChartViews>(chart.Id, ct))?.ViewCount ?? 0;
            await WriteJsonAsync(zip, folder + "chart.json", ChartResponse.From(chart, views, thumbnails: null), ct);
            var events = await session.Events.FetchStreamAsync(chart.Id, token: ct);
            await WriteJsonAsync(zip, folder + "history.json", events.Select(e => new ChartHistoryEntry(
                (int)e.Version, JsonNamingPolicy.SnakeCaseLower.ConvertName(e.Data.GetType().Name), e.Timestamp, e.Data)).ToList(), ct);
        }
    }

    static async Task WriteJsonAsync<T>(ZipArchive zip, string name, T value, CancellationToken ct)
    {
        await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct);
        // Serialized as its runtime type, so an event's own fields are all written, not only those of object.
        await JsonSerializer.SerializeAsync(entry, value, value?.GetType() ?? typeof(T), Json, ct);
    }

    static async Task WriteTextAsync(ZipArchive zip, string name, string text, CancellationToken ct)
    {
        await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct);
        await entry.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct);
    }

    static string Readme(DateTimeOffset now) => $"""
        Your ChartCraft data, exported {now:yyyy-MM-dd HH:mm} UTC.

        account.json             your profile
        sources/<id>/            each uploaded file as you uploaded it, and source.json: how it was read
        sources/<id>/versions/   the previous versions of a replaced file that are still kept
        charts/<id>/chart.json   each chart as it is now (its Chart.js configuration included)
        charts/<id>/history.json every change to the chart, oldest first
        integrations.json        your newsletter connections (their keys and tokens are not exported)
        webhooks.json            your webhooks (their signing secrets are not exported)
        templates.json           your saved chart templates

        """;
}

/// <summary>One event of a chart's stream, as the archive writes it.</summary>
public sealed record ChartHistoryEntry(int Version, string Event, DateTimeOffset At, object Data);
