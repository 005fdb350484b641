using ChartCraft.Features.Messages;
using ChartCraft.Features.Plans;
using ChartCraft.Features.Templates;
using ChartCraft.Features.Upload;
using Wolverine.Marten;

namespace ChartCraft.Features.Charts;

/// <summary>What a new chart is made of, whichever way it is made (a request, a duplicate, a template).</summary>
/// <param name="ChartType">May be null when <paramref name="TemplateId"/> gives the type.</param>
public sealed record NewChart(Guid DataSourceId, string? ChartType, string Title, ChartRequestConfig? Config, bool GenerateInsights,
    Guid? TemplateId = null);

/// <summary>A new chart drafted from its data, ready to show (preview) or store.</summary>
public sealed record PreparedChart(DataSource Source, string ChartType, string Title, ChartDraft Draft, Guid? TemplateId);

/// <summary>
/// The one way charts come into being: <see cref="PrepareAsync"/> turns a request into a draft checked against the data
/// (what a preview shows), <see cref="StoreAsync"/> stores one. Create, duplicate and create-from-template all pass here,
/// so a rule about new charts (a plan's chart limit) has one place to go.
/// </summary>
public sealed class ChartCreation(DataSetCache dataSets, ChartDrafting drafting, PlanEnforcement plans, TimeProvider clock)
{
    /// <summary>
    /// The plan's chart limit (403 when reached), checked under a per-user lock that <paramref name="session"/> holds until
    /// it commits: call it first, in the session that will store the chart, so two racing creates cannot both pass.
    /// </summary>
    public Task ReserveAsync(IDocumentSession session, Guid userId, CancellationToken ct) =>
        plans.EnsureCanAddAsync(session, userId, PlanLimit.Charts, ct);

    /// <summary>
    /// The user's template (its type and style under the request's own fields), the user's source and the draft; stores
    /// nothing. An unknown or another user's source or template is a 404; data that cannot feed the chart a 422.
    /// </summary>
    public async Task<PreparedChart> PrepareAsync(IQuerySession session, Guid userId, NewChart request, CancellationToken ct)
    {
        var (chartType, config) = (request.ChartType, request.Config);
        if (request.TemplateId is { } templateId)
            (chartType, config) = (await session.LoadOwnedTemplateAsync(templateId, userId, ct)).Style.ApplyTo(chartType, config);
        var source = await session.LoadOwnedSourceAsync(request.DataSourceId, userId, ct);
        var title = request.Title.Trim();
        var type = chartType ?? "";
        var draft = await drafting.DraftAsync(source, await dataSets.GetAsync(source, ct), type, title, config,
            request.GenerateInsights, ct);
        return new PreparedChart(source, type, title, draft, request.TemplateId);
    }

    /// <summary>
    /// Starts the chart's stream with ChartCreated and publishes chart.created and the thumbnail render through the
    /// outbox, all in one commit; returns the stored chart.
    /// </summary>
    public async Task<Chart> StoreAsync(IDocumentSession session, IMartenOutbox outbox, Guid userId, PreparedChart prepared, bool isPublic,
        CancellationToken ct)
    {
        var chartId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var draft = prepared.Draft;
        session.Events.StartStream<Chart>(chartId, new ChartCreated(chartId, userId, prepared.Source.Id, prepared.Title,
            prepared.ChartType, draft.Config, draft.ChartConfig, draft.Insights, isPublic, now, prepared.TemplateId));
        session.Insert(new ChartViews { Id = chartId });
        await outbox.PublishAsync(new WebhookEvent(userId, WebhookEventTypes.ChartCreated, new Dictionary<string, object?>
        {
            ["chart_id"] = chartId, ["data_source_id"] = prepared.Source.Id, ["title"] = prepared.Title, ["chart_type"] = prepared.ChartType,
        }, now));
        await outbox.PublishAsync(new ChartRevised(chartId, userId, 1, now));
        await session.SaveChangesAsync(ct);
        return (await session.LoadAsync<Chart>(chartId, ct))!;
    }
}
