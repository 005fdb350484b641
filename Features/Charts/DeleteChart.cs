using Wolverine.Marten;

namespace ChartCraft.Features.Charts;

/// <summary>
/// DELETE /api/charts/{id}: ChartDeleted ends the chart; its stream remains as history. ChartRemoved commits with it,
/// so its exports and their files go too, even if the process stops right after.
/// </summary>
public sealed class DeleteChartEndpoint(IDocumentStore store, IMartenOutbox outbox, TimeProvider clock) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/charts/{chart_id:guid}");
        Description(d => d.WithTags("Charts").Produces(204).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Delete a chart");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.OpenOutboxSession(outbox);
        var chart = await session.LoadOwnedChartAsync(Route<Guid>("chart_id"), User.UserId(), ct);
        await outbox.PublishAsync(await session.DeleteChartAsync(chart.Id, chart.UserId, "deleted_by_owner", clock.GetUtcNow(), ct));
        await session.SaveChangesAsync(ct);
        await Send.NoContentAsync(ct);
    }
}
