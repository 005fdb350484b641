namespace ChartCraft.Features.Templates;

public sealed class ListTemplatesRequest : PageRequest;

public sealed class ListTemplatesValidator : PageRequestValidator<ListTemplatesRequest>;

/// <summary>GET /api/templates: the caller's templates, newest first, paginated like every list.</summary>
public sealed class ListTemplatesEndpoint(IDocumentStore store) : Endpoint<ListTemplatesRequest, PagedResponse<TemplateResponse>>
{
    public override void Configure()
    {
        Get("/templates");
        Description(d => d.WithTags("Templates").Produces<PagedResponse<TemplateResponse>>(200).ProducesProblems(400, 401), clearDefaults: true);
        Summary(s => s.Summary = "List templates (paginated, newest first)");
    }

    public override async Task HandleAsync(ListTemplatesRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var (templates, total) = await session.PageOwnedAsync<ChartTemplate>(User.UserId(), req, ct);
        await Send.OkAsync(req.Respond(templates.Select(TemplateResponse.From).ToList(), total), ct);
    }
}
