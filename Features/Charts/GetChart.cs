namespace ChartCraft.Features.Charts;

/// <summary>One of the caller's charts, from memory when no instance has changed it since (<see cref="ChartReads"/>).</summary>
public sealed class GetChartEndpoint(ChartReads reads, ThumbnailLinks thumbnails) : EndpointWithoutRequest<ChartResponse>
{
    public override void Configure()
    {
        Get("/charts/{chart_id:guid}");
        Description(d => d.WithTags("Charts").Produces<ChartResponse>(200).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Get a chart");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var (chart, views) = await reads.OwnedAsync(Route<Guid>("chart_id"), User.UserId(), ct);
        await Send.OkAsync(ChartResponse.From(chart, views, thumbnails), ct);
    }
}
