using ChartCraft.Features.Messages;
using ChartCraft.Features.Upload;
using Wolverine;

namespace ChartCraft.Features.Charts;

/// <summary>
/// A data source got a new version: every chart on it is redrawn from the new data with its config unchanged, and its
/// stream records <see cref="ChartDataRefreshed"/>, so the history shows when the data changed. A chart the new data cannot
/// feed (a column gone or of another type) becomes needs_attention, naming the column, and keeps its last good
/// chart_config: it is never silently broken. Durable: the message commits with the version, and the redraws commit together.
/// </summary>
public static class RedrawChartsOfUpdatedSourceHandler
{
    public static async Task Handle(DataSourceUpdated message, IDocumentSession session, IMessageContext bus, DataSetCache dataSets,
        ChartDrafting drafting, CancellationToken ct)
    {
        var source = await session.LoadAsync<DataSource>(message.DataSourceId, ct);
        // Deleted since, or replaced again: the newer version's own message redraws the charts.
        if (source is null || source.Version != message.Version) return;
        var charts = await session.Query<Chart>()
            .Where(c => c.DataSourceId == source.Id && c.UserId == message.UserId)
            .ToListAsync(ct);
        if (charts.Count == 0) return;

        var data = await dataSets.GetAsync(source, ct);
        foreach (var chart in charts)
        {
            var refreshed = await RedrawAsync(drafting, source, data, chart, message.At, ct);
            await session.AppendAsync(chart.Id, refreshed, ct);
            // The redraw is a new revision: its thumbnail is drawn anew (an older revision's is never shown).
            await bus.PublishAsync(new ChartRevised(chart.Id, chart.UserId, chart.Revision + 1, message.At));
            await bus.PublishAsync(new WebhookEvent(chart.UserId, WebhookEventTypes.ChartUpdated, new Dictionary<string, object?>
            {
                ["chart_id"] = chart.Id, ["title"] = chart.Title, ["chart_type"] = chart.ChartType, ["changes"] = new[] { "data" },
                ["status"] = refreshed.Status, ["status_reason"] = refreshed.StatusReason,
            }, message.At));
        }
    }

    static async Task<ChartDataRefreshed> RedrawAsync(ChartDrafting drafting, DataSource source, DataSet data, Chart chart,
        DateTimeOffset at, CancellationToken ct)
    {
        var missing = ChartColumns.Missing(chart.Config, data);
        if (missing is not null)
            return NeedsAttention(source, chart, $"Column '{missing}' is no longer in the data", at);
        try
        {
            // Insights describe the numbers: a chart that had them gets them rewritten for the new numbers.
            var draft = await drafting.DraftAsync(source, data, chart.ChartType, chart.Title, chart.Config, chart.AiInsights is not null, ct);
            return new ChartDataRefreshed(source.Id, source.Version, draft.ChartConfig, draft.Insights, ChartStatuses.Ok, null, at);
        }
        catch (ProblemException problem) when (problem.Status == StatusCodes.Status422UnprocessableEntity)
        {
            // The column is there but no longer fits (another type, negative slices...): the detail names it.
            return NeedsAttention(source, chart, $"The new data cannot feed this chart: {problem.Detail}", at);
        }
    }

    static ChartDataRefreshed NeedsAttention(DataSource source, Chart chart, string reason, DateTimeOffset at) =>
        new(source.Id, source.Version, chart.ChartConfig, chart.AiInsights, ChartStatuses.NeedsAttention, reason, at);
}

/// <summary>The columns a chart's config names, checked against a data set.</summary>
public static class ChartColumns
{
    /// <summary>The first column the config names that the data does not have, or null when all are there.</summary>
    public static string? Missing(ChartRequestConfig config, DataSet data) =>
        Named(config).FirstOrDefault(name => data.Find(name) is null);

    static IEnumerable<string> Named(ChartRequestConfig config)
    {
        if (!string.IsNullOrWhiteSpace(config.XColumn)) yield return config.XColumn;
        foreach (var y in config.YColumn ?? [])
            if (!string.IsNullOrWhiteSpace(y)) yield return y;
        if (!string.IsNullOrWhiteSpace(config.GroupColumn)) yield return config.GroupColumn;
    }
}
