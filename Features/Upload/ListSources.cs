using ChartCraft.Infrastructure.Api;
using ChartCraft.Infrastructure.Security;
using FastEndpoints;
using Marten;

namespace ChartCraft.Features.Upload;

public sealed class ListSourcesRequest : PageRequest;

public sealed class ListSourcesValidator : PageRequestValidator<ListSourcesRequest>;

/// <summary>The caller's data sources, newest first.</summary>
public sealed class ListSourcesEndpoint : Endpoint<ListSourcesRequest, PagedResponse<DataSourceResponse>>
{
    public override void Configure()
    {
        Get("/data/sources");
        Description(d => d.WithTags("Data sources").Produces<PagedResponse<DataSourceResponse>>(200).ProducesProblems(400, 401),
            clearDefaults: true);
        Summary(s => s.Summary = "List data sources (paginated, newest first)");
    }

    public override async Task HandleAsync(ListSourcesRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = Resolve<IDocumentStore>().QuerySession();
        var (page, total) = await session.Query<DataSource>()
            .Where(s => s.UserId == userId)
            .OrderByDescending(s => s.CreatedAt)
            .ThenByDescending(s => s.Id)
            .PageAsync(req, ct);
        await Send.OkAsync(new PagedResponse<DataSourceResponse>(page.Select(DataSourceResponse.From).ToList(), req.Page,
            req.PageSize, total), ct);
    }
}
