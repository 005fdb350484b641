namespace ChartCraft.Features.Templates;

/// <summary>DELETE /api/templates/{id}: charts made with it keep their look (and their template_id, as history).</summary>
public sealed class DeleteTemplateEndpoint(IDocumentStore store) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Delete("/templates/{template_id:guid}");
        Description(d => d.WithTags("Templates").Produces(204).ProducesProblems(401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Delete a template");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var template = await session.LoadOwnedTemplateAsync(Route<Guid>("template_id"), User.UserId(), ct);
        session.Delete(template);
        await session.SaveChangesAsync(ct);
        await Send.NoContentAsync(ct);
    }
}
