namespace ChartCraft.Features.Charts;

/// <summary>Appending to a chart's event stream from any feature.</summary>
public static class ChartStreams
{
    /// <summary>
    /// Appends under a lock on the stream (held until the session commits), so concurrent writers to one
    /// chart — an edit, twenty exports, a publish — take turns instead of colliding on the next version.
    /// </summary>
    public static Task AppendAsync(this IDocumentSession session, Guid chartId, object @event, CancellationToken ct) =>
        session.Events.AppendExclusive(chartId, ct, @event);
}
