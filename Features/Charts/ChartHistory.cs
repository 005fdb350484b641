namespace ChartCraft.Features.Charts;

/// <summary>One revision of a chart: its event, what changed and when.</summary>
public sealed record ChartRevision(int Revision, string Event, IReadOnlyList<string> Changes, DateTimeOffset At,
    IReadOnlyDictionary<string, object?> Details);

public sealed record ChartHistoryResponse(Guid ChartId, IReadOnlyList<ChartRevision> Revisions);

/// <summary>GET /api/charts/{id}/history: every event of the chart's stream, oldest first.</summary>
public sealed class ChartHistoryEndpoint(IDocumentStore store) : EndpointWithoutRequest<ChartHistoryResponse>
{
    public override void Configure()
    {
        Get("/charts/{chart_id:guid}/history");
        Description(d => d.WithTags("Charts").Produces<ChartHistoryResponse>(200).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Revision history of a chart");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var chart = await session.LoadOwnedChartAsync(Route<Guid>("chart_id"), User.UserId(), ct);
        var events = await session.Events.FetchStreamAsync(chart.Id, token: ct);
        var revisions = events.Select(e => Describe((int)e.Version, e.Data, e.Timestamp)).ToList();
        await Send.OkAsync(new ChartHistoryResponse(chart.Id, revisions), ct);
    }

    static ChartRevision Describe(int version, object data, DateTimeOffset timestamp) => data switch
    {
        ChartCreated c => new(version, "chart_created", ["title", "chart_type", "config"], c.At,
            new Dictionary<string, object?> { ["title"] = c.Title, ["chart_type"] = c.ChartType, ["is_public"] = c.IsPublic }),
        ChartUpdated u => new(version, "chart_updated", u.Changes, u.At,
            new Dictionary<string, object?> { ["title"] = u.Title, ["chart_type"] = u.ChartType, ["is_public"] = u.IsPublic }),
        ChartDataRefreshed r => new(version, "chart_data_refreshed", ["data"], r.At, new Dictionary<string, object?>
        {
            ["data_source_version"] = r.DataSourceVersion, ["status"] = r.Status, ["status_reason"] = r.StatusReason,
        }),
        ChartDeleted d => new(version, "chart_deleted", [], d.At, new Dictionary<string, object?> { ["reason"] = d.Reason }),
        // Events other features append (exports, publishing) are named after their type.
        _ => new(version, System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(data.GetType().Name), [], timestamp,
            new Dictionary<string, object?>()),
    };
}

