namespace ChartCraft.Features.Templates;

/// <summary>GET /api/templates/{id}: one of the caller's templates; another user's is a 404.</summary>
public sealed class GetTemplateEndpoint(IDocumentStore store) : EndpointWithoutRequest<TemplateResponse>
{
    public override void Configure()
    {
        Get("/templates/{template_id:guid}");
        Description(d => d.WithTags("Templates").Produces<TemplateResponse>(200).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Get a template");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var template = await session.LoadOwnedTemplateAsync(Route<Guid>("template_id"), User.UserId(), ct);
        await Send.OkAsync(TemplateResponse.From(template), ct);
    }
}
