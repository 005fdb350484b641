using System.Text.Json;
using Npgsql;

namespace ChartCraft.Features.Activity;

public sealed class AccountActivityRequest : PageRequest;

public sealed class AccountActivityValidator : PageRequestValidator<AccountActivityRequest>;

/// <summary>
/// One thing the user did (or that happened to their things): when, a stable snake_case <c>kind</c>, the id of the
/// thing it concerns, and a short sentence for people.
/// </summary>
public sealed record ActivityEntry(DateTimeOffset At, string Kind, Guid SubjectId, string Summary);

/// <summary>
/// GET /api/account/activity?page&amp;page_size: the caller's activity, newest first, read from the event streams. The
/// caller's streams are the charts whose <c>chart_created</c> event names them as owner (kept after a chart is
/// deleted, so its history stays); other streams are never read. Filtered, ordered and paged in PostgreSQL.
/// </summary>
public sealed class AccountActivityEndpoint(IDocumentStore store) : Endpoint<AccountActivityRequest, PagedResponse<ActivityEntry>>
{
    public override void Configure()
    {
        Get("/account/activity");
        Description(d => d.WithTags("Account").Produces<PagedResponse<ActivityEntry>>(200).ProducesProblems(400, 401), clearDefaults: true);
        Summary(s => s.Summary = "The caller's activity (chart created, changed, made public, exported, published, deleted), newest first");
    }

    public override async Task HandleAsync(AccountActivityRequest req, CancellationToken ct)
    {
        var events = $"{store.Options.Events.DatabaseSchemaName}.mt_events";
        // The user's streams, found first (the type index narrows the scan to chart_created events) so that their events
        // are then read through the stream index and only those are sorted, however large the table.
        var ownStreams = $"array(select stream_id from {events} where type = 'chart_created' and data ->> 'user_id' = @user)";
        // A thumbnail drawn in the background is bookkeeping, not something the user did or saw happen.
        var shown = $"e.stream_id = any({ownStreams}) and e.type <> 'chart_thumbnail_rendered'";
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);

        // Only the few fields a summary needs, never a whole event (a revision carries its chart's full configuration).
        // The title is the chart's as of the event: from the latest created or updated event up to it.
        await using var page = new NpgsqlCommand($"""
            select e.timestamp, e.type, e.stream_id, e.data -> 'changes', e.data ->> 'is_public', e.data ->> 'format',
                   e.data ->> 'provider', e.data ->> 'reason',
                   (select t.data ->> 'title' from {events} t
                     where t.stream_id = e.stream_id and t.type in ('chart_created', 'chart_updated') and t.version <= e.version
                     order by t.version desc limit 1)
              from {events} e
             where {shown}
             order by e.seq_id desc
             limit @take offset @skip
            """, connection);
        page.Parameters.AddWithValue("user", User.UserId().ToString());
        page.Parameters.AddWithValue("take", req.PageSize);
        page.Parameters.AddWithValue("skip", req.ItemsBefore);
        var items = new List<ActivityEntry>();
        await using (var reader = await page.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                items.Add(ActivitySummaries.Describe(new ChartEventRow(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1),
                    reader.GetGuid(2), Changes(reader, 3), Text(reader, 4) == "true", Text(reader, 5), Text(reader, 6), Text(reader, 7),
                    Text(reader, 8))));

        await using var count = new NpgsqlCommand($"select count(*) from {events} e where {shown}", connection);
        count.Parameters.AddWithValue("user", User.UserId().ToString());
        var total = (long)(await count.ExecuteScalarAsync(ct))!;
        await Send.OkAsync(req.Respond(items, total), ct);
    }

    static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    static IReadOnlyList<string> Changes(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(column)) ?? [];
}
