using JasperFx;
using JasperFx.Events;

namespace ChartCraft.Infrastructure.Persistence;

public static class Concurrency
{
    /// <summary>
    /// Another request changed the same document (optimistic concurrency) or stream first. Marten reports several
    /// at once as an AggregateException of them.
    /// </summary>
    public static bool IsConflict(Exception ex) =>
        ex is ConcurrencyException or EventStreamUnexpectedMaxEventIdException
        || ex is AggregateException aggregate && aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsConflict);
}
