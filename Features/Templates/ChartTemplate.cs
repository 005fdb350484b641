using ChartCraft.Features.Charts;

namespace ChartCraft.Features.Templates;

/// <summary>A saved chart style (type, colours, labels, sort, limit) that new charts can start from; no data, no column names.</summary>
public sealed class ChartTemplate : IOwnedDocument, ICreatedDocument
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public string Name { get; set; } = "";
    public ChartStyle Style { get; set; } = new("bar", null, null, null, null, null, null);
    /// <summary>The chart it was saved from (which may since have changed or gone).</summary>
    public Guid SourceChartId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A template as the API shows it.</summary>
public sealed record TemplateResponse(Guid TemplateId, string Name, string ChartType, ChartStyle Style, Guid SourceChartId,
    DateTimeOffset CreatedAt)
{
    public static TemplateResponse From(ChartTemplate t) => new(t.Id, t.Name, t.Style.ChartType, t.Style, t.SourceChartId, t.CreatedAt);
}

/// <summary>Loading a user's template; another user's template is indistinguishable from a missing one.</summary>
public static class Templates
{
    public static Task<ChartTemplate> LoadOwnedTemplateAsync(this IQuerySession session, Guid templateId, Guid userId, CancellationToken ct) =>
        session.LoadOwnedAsync<ChartTemplate>(templateId, userId, NotFound, ct);

    public static ProblemException NotFound(Guid templateId) => new(404, "Template not found", $"No template {templateId}.");
}

public static class TemplatesFeature
{
    public static IServiceCollection AddTemplatesFeature(this IServiceCollection services)
    {
        // Registered, not discovered on first use: production's schema comes only from deploy/migrations.
        services.ConfigureMarten(opts => opts.Schema.For<ChartTemplate>().Index(x => x.UserId));
        return services;
    }
}
