using System.Text.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Upload;
using Wolverine.Marten;

namespace ChartCraft.Features.Charts;

/// <summary>
/// Any of the fields; those left out keep their value. <c>config</c> is a JSON merge patch (RFC 7396) over the
/// chart's current config: keys given replace theirs, a key set to null is cleared (chosen from the data again),
/// keys left out are kept. So <c>{"config": {"aggregation": "mean"}}</c> changes only the aggregation.
/// </summary>
public sealed record UpdateChartRequest(string? Title, string? ChartType, JsonObject? Config, bool? IsPublic,
    bool? GenerateInsights);

public sealed class UpdateChartValidator : Validator<UpdateChartRequest>
{
    public UpdateChartValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200).When(x => x.Title is not null);
        RuleFor(x => x.ChartType).Must(ChartTypes.IsKnown).When(x => x.ChartType is not null)
            .WithMessage($"must be one of: {string.Join(", ", ChartTypes.All)}");
    }
}

/// <summary>
/// PUT /api/charts/{id}: appends ChartUpdated with the regenerated config. Insights are rewritten when
/// asked (generate_insights: true), dropped when refused (false), and otherwise rewritten only if the
/// chart had them and its numbers changed, so they never describe a chart that no longer exists.
/// </summary>
public sealed class UpdateChartEndpoint(IDocumentStore store, IMartenOutbox outbox, DataSetCache dataSets, ChartDrafting drafting,
    ChartReads reads, ThumbnailLinks thumbnails, TimeProvider clock)
    : Endpoint<UpdateChartRequest, ChartResponse>
{
    public override void Configure()
    {
        Put("/charts/{chart_id:guid}");
        Description(d => d.WithTags("Charts").Accepts<UpdateChartRequest>("application/json")
            .Produces<ChartResponse>(200).ProducesProblems(400, 401, 404, 422), clearDefaults: true);
        Summary(s => s.Summary = "Update a chart (title, chart_type, config, is_public, generate_insights)");
    }

    public override async Task HandleAsync(UpdateChartRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var chart = await session.LoadOwnedChartAsync(Route<Guid>("chart_id"), userId, ct);

        var changes = new List<string>();
        var title = Changed(req.Title?.Trim(), chart.Title, "title", changes);
        var chartType = Changed(req.ChartType, chart.ChartType, "chart_type", changes);
        var patched = req.Config is null ? chart.Config : ChartConfigPatch.Apply(chart.Config, req.Config);
        // Compared as JSON: the records hold lists, which compare by reference.
        var config = JsonSerializer.Serialize(patched, Api.Json) != JsonSerializer.Serialize(chart.Config, Api.Json)
            ? Track(patched, "config", changes)
            : chart.Config;
        var isPublic = req.IsPublic is { } p && p != chart.IsPublic ? Track(p, "is_public", changes) : chart.IsPublic;
        var numbersChanged = changes.Contains("chart_type") || changes.Contains("config");
        var regenerate = req.GenerateInsights ?? (chart.AiInsights is not null && numbersChanged);
        if (req.GenerateInsights is not null) changes.Add(req.GenerateInsights.Value ? "ai_insights" : "ai_insights_removed");

        var insights = req.GenerateInsights == false ? null : chart.AiInsights;
        var chartConfig = chart.ChartConfig;
        if (numbersChanged || changes.Contains("title") || regenerate)
        {
            var source = await session.LoadOwnedSourceAsync(chart.DataSourceId, userId, ct);
            var draft = await drafting.DraftAsync(source, await dataSets.GetAsync(source, ct), chartType, title, config, regenerate, ct);
            config = draft.Config;
            chartConfig = draft.ChartConfig;
            if (regenerate) insights = draft.Insights;
        }

        if (changes.Count > 0)
        {
            var now = clock.GetUtcNow();
            await session.AppendAsync(chart.Id, new ChartUpdated(changes, title, chartType, config, chartConfig, insights, isPublic, now), ct);
            await outbox.PublishAsync(new WebhookEvent(userId, WebhookEventTypes.ChartUpdated, new Dictionary<string, object?>
            {
                ["chart_id"] = chart.Id, ["title"] = title, ["chart_type"] = chartType, ["changes"] = changes,
            }, now));
            await outbox.PublishAsync(new ChartRevised(chart.Id, userId, chart.Revision + 1, now));
            await session.SaveChangesAsync(ct);
            chart = (await session.LoadAsync<Chart>(chart.Id, ct))!;
        }
        await Send.OkAsync(ChartResponse.From(chart, await session.ViewsAsync(reads, chart.Id, ct), thumbnails), ct);
    }

    static string Changed(string? requested, string current, string field, List<string> changes) =>
        requested is not null && requested != current ? Track(requested, field, changes) : current;

    static T Track<T>(T value, string field, List<string> changes)
    {
        changes.Add(field);
        return value;
    }
}

/// <summary>Applies a JSON merge patch (RFC 7396) to a chart's config.</summary>
public static class ChartConfigPatch
{
    public static ChartRequestConfig Apply(ChartRequestConfig current, JsonObject patch)
    {
        var merged = JsonSerializer.SerializeToNode(current, Api.Json)!.AsObject();
        foreach (var (key, value) in patch)
        {
            if (value is null) merged.Remove(key);
            else merged[key] = value.DeepClone();
        }
        try
        {
            return merged.Deserialize<ChartRequestConfig>(Api.Json)!;
        }
        catch (JsonException ex)
        {
            // Worded as the API words unreadable JSON, under config.
            var failure = Problems.FromJsonException(ex);
            var field = failure.PropertyName == "SerializerErrors" ? "config" : "config." + failure.PropertyName;
            throw new ProblemException(StatusCodes.Status400BadRequest, "The request is malformed", "The config could not be read.",
                new Dictionary<string, string[]> { [field] = [failure.ErrorMessage] });
        }
    }
}
