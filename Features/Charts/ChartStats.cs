namespace ChartCraft.Features.Charts;

public sealed class ChartStatsRequest
{
    public const int MaxDays = 365;

    [QueryParam, BindFrom("days")] public int Days { get; set; } = 30;
}

public sealed class ChartStatsValidator : Validator<ChartStatsRequest>
{
    public ChartStatsValidator() =>
        RuleFor(x => x.Days).InclusiveBetween(1, ChartStatsRequest.MaxDays).WithName("days").OverridePropertyName("days");
}

/// <summary>One UTC day of a chart's public views: every view, and how many different visitors made them.</summary>
public sealed record DayViews(DateOnly Date, long Views, long UniqueVisitors);

/// <summary>Views per day, oldest first, every day of the window present; exports and publishes within the same window.</summary>
public sealed record ChartStatsResponse(IReadOnlyList<DayViews> ViewsByDay, long Exports, long Publishes);

/// <summary>
/// GET /api/charts/{id}/stats?days=30 (1–365): the owner's view of how a chart is seen and used. The window is the last
/// <c>days</c> UTC days, today included. Stored days (<see cref="ChartDayViews"/>) are merged with the live counts Redis
/// still holds, so today's views show at once. Exports are the completed exports of the chart, publishes its newsletter
/// publishes, both counted from the chart's event stream over the same window.
/// </summary>
public sealed class ChartStatsEndpoint(IDocumentStore store, ChartDailyViews daily) : Endpoint<ChartStatsRequest, ChartStatsResponse>
{
    /// <summary>Days whose counts may not be flushed yet: today, and yesterday just after midnight.</summary>
    const int LiveDays = 2;

    public override void Configure()
    {
        Get("/charts/{chart_id:guid}/stats");
        Description(d => d.WithTags("Charts").Produces<ChartStatsResponse>(200).ProducesProblems(400, 401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Views per day, unique visitors, exports and publishes of a chart (?days=30, 1-365)");
    }

    public override async Task HandleAsync(ChartStatsRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var chart = await session.LoadOwnedChartAsync(Route<Guid>("chart_id"), User.UserId(), ct);
        var today = daily.Today;
        var days = Enumerable.Range(0, req.Days).Select(i => today.AddDays(i - req.Days + 1)).ToList();

        var stored = (await session.LoadManyAsync<ChartDayViews>(ct, days.Select(d => ChartDayViews.IdOf(chart.Id, d)).ToArray()))
            .ToDictionary(d => d.Day);
        var live = await daily.LiveAsync(chart.Id, days.TakeLast(LiveDays).ToList());
        var viewsByDay = days.Select(day =>
        {
            var (views, visitors) = live.GetValueOrDefault(day);
            var durable = stored.GetValueOrDefault(day);
            // Both are totals: the greater is the latest (Redis may have lost a day a flush had written).
            return new DayViews(day, Math.Max(views, durable?.Views ?? 0), Math.Max(visitors, durable?.UniqueVisitors ?? 0));
        }).ToList();

        var since = new DateTimeOffset(days[0].ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var exports = await CountEventsAsync(session, chart.Id, "chart_exported", since, ct);
        var publishes = await CountEventsAsync(session, chart.Id, "chart_published", since, ct);
        await Send.OkAsync(new ChartStatsResponse(viewsByDay, exports, publishes), ct);
    }

    static async Task<long> CountEventsAsync(IQuerySession session, Guid chartId, string eventType, DateTimeOffset since, CancellationToken ct) =>
        await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == chartId && e.EventTypeName == eventType && e.Timestamp >= since)
            .CountAsync(ct);
}
