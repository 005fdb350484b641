using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload;
using Wolverine.Marten;

namespace ChartCraft.Features.Charts;

/// <param name="DataSourceId">Another of the caller's sources to draw the copy from; the chart's own when absent.</param>
/// <param name="ColumnMap">Column names of the chart (keys) and the names to use in their place (values).</param>
/// <param name="Title">The copy's title; "&lt;title&gt; (copy)" when absent.</param>
public sealed record DuplicateChartRequest(Guid? DataSourceId, Dictionary<string, string>? ColumnMap, string? Title);

public sealed class DuplicateChartValidator : Validator<DuplicateChartRequest>
{
    public DuplicateChartValidator()
    {
        RuleFor(x => x.Title).NotEmpty().MaximumLength(200).When(x => x.Title is not null);
        RuleForEach(x => x.ColumnMap).Must(pair => !string.IsNullOrWhiteSpace(pair.Value))
            .WithMessage("maps a column to an empty name").When(x => x.ColumnMap is not null);
    }
}

/// <summary>
/// POST /api/charts/{id}/duplicate: a new chart (new id, private, its own history) with the chart's type, config and style,
/// optionally on another source with columns renamed. Columns that do not fit the target (missing, or of a type the chart
/// cannot use) are one 422 naming each of them.
/// </summary>
public sealed class DuplicateChartEndpoint(IDocumentStore store, IMartenOutbox outbox, DataSetCache dataSets, ChartCreation creation,
    ThumbnailLinks thumbnails) : Endpoint<DuplicateChartRequest, ChartResponse>
{
    public override void Configure()
    {
        Post("/charts/{chart_id:guid}/duplicate");
        Description(d => d.WithTags("Charts").Accepts<DuplicateChartRequest>("application/json")
            .Produces<ChartResponse>(201).ProducesProblems(400, 401, 403, 404, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Duplicate a chart, optionally onto another data source with a column mapping";
            s.Responses[403] = "The plan's charts limit is reached";
            s.Responses[404] = "Chart or data source not found";
            s.Responses[422] = "Columns that do not fit the target data source (errors.columns names them)";
        });
    }

    public override async Task HandleAsync(DuplicateChartRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var chart = await session.LoadOwnedChartAsync(Route<Guid>("chart_id"), userId, ct);
        await creation.ReserveAsync(session, userId, ct);
        var title = req.Title?.Trim() ?? CopyTitle(chart.Title);
        var targetId = req.DataSourceId ?? chart.DataSourceId;
        var prepared = targetId == chart.DataSourceId && req.ColumnMap is not { Count: > 0 }
            ? await creation.PrepareAsync(session, userId, new NewChart(targetId, chart.ChartType, title, chart.Config, chart.AiInsights is not null), ct)
            : await PrepareOnOtherColumnsAsync(session, userId, chart, targetId, req.ColumnMap, title, ct);
        var copy = await creation.StoreAsync(session, outbox, userId, prepared with { TemplateId = chart.TemplateId }, isPublic: false, ct);
        await Send.ResponseAsync(ChartResponse.From(copy, 0, thumbnails), 201, ct);
    }

    /// <summary>
    /// The copy with its columns renamed by the map, checked against the target source. The chart's aggregation is kept
    /// (a sum stays a sum: a text column in a summed column's place is refused, not silently counted).
    /// </summary>
    async Task<PreparedChart> PrepareOnOtherColumnsAsync(IDocumentSession session, Guid userId, Chart chart, Guid targetId,
        IReadOnlyDictionary<string, string>? map, string title, CancellationToken ct)
    {
        var from = await dataSets.GetAsync(await session.LoadOwnedSourceAsync(chart.DataSourceId, userId, ct), ct);
        var to = await dataSets.GetAsync(await session.LoadOwnedSourceAsync(targetId, userId, ct), ct);
        var kept = ColumnMapping.KeepAggregation(chart.ChartType, chart.Config, from);
        var config = ColumnMapping.Apply(kept, map);
        var roles = ColumnMapping.Roles(kept, config);
        if (ColumnMapping.Missing(roles, to) is { Count: > 0 } missing) throw ColumnMapping.Problem(missing);
        try
        {
            return await creation.PrepareAsync(session, userId, new NewChart(targetId, chart.ChartType, title, config, chart.AiInsights is not null), ct);
        }
        catch (ProblemException problem) when (problem.Status == 422)
        {
            throw ColumnMapping.Misfits(chart.ChartType, kept, roles, from, to, problem) is { Count: > 0 } misfits
                ? ColumnMapping.Problem(misfits)
                : problem;
        }
    }

    static string CopyTitle(string title)
    {
        const string suffix = " (copy)";
        return (title.Length + suffix.Length > 200 ? title[..(200 - suffix.Length)] : title) + suffix;
    }
}

/// <summary>A column of a chart in one role (x, a y, group): its name in the chart and in the copy.</summary>
public sealed record ColumnRole(string Field, string Original, string Mapped);

/// <summary>A column of the copy that does not fit the target source, and why.</summary>
public sealed record ColumnMisfit(string Field, string Column, string Reason);

/// <summary>Renaming a chart's columns for another source, and saying which ones do not fit it.</summary>
public static class ColumnMapping
{
    public static ChartRequestConfig Apply(ChartRequestConfig config, IReadOnlyDictionary<string, string>? map)
    {
        if (map is not { Count: > 0 }) return config;
        string? Map(string? column) => column is not null && map.TryGetValue(column, out var mapped) ? mapped.Trim() : column;
        return config with
        {
            XColumn = Map(config.XColumn),
            YColumn = config.YColumn?.Select(y => Map(y)!).ToList(),
            GroupColumn = Map(config.GroupColumn),
        };
    }

    /// <summary>The config with the aggregation the chart uses on its own source written out, when it was left to the data.</summary>
    public static ChartRequestConfig KeepAggregation(string chartType, ChartRequestConfig config, DataSet source)
    {
        if (config.Aggregation is not null) return config;
        var used = ChartRequestValidation.Validate(source, chartType, config).Aggregation;
        return Aggregations.IsKnown(used) ? config with { Aggregation = used } : config; // scatter's "none" is no option
    }

    /// <summary>The columns the chart names, by role, before and after the mapping.</summary>
    public static IReadOnlyList<ColumnRole> Roles(ChartRequestConfig original, ChartRequestConfig mapped)
    {
        var roles = new List<ColumnRole>();
        if (original.XColumn is { } x) roles.Add(new("config.x_column", x, mapped.XColumn!));
        for (var i = 0; i < (original.YColumn?.Count ?? 0); i++) roles.Add(new("config.y_column", original.YColumn![i], mapped.YColumn![i]));
        if (original.GroupColumn is { } g) roles.Add(new("config.group_column", g, mapped.GroupColumn!));
        return roles;
    }

    public static IReadOnlyList<ColumnMisfit> Missing(IReadOnlyList<ColumnRole> roles, DataSet target) =>
        roles.Where(r => target.Find(r.Mapped) is null)
            .Select(r => new ColumnMisfit(r.Field, r.Mapped, $"column '{r.Mapped}' does not exist in the target data source"))
            .ToList();

    /// <summary>
    /// After the target's data refused the chart: each column that the chart's checks (<see cref="ChartRequestValidation"/>)
    /// refuse on its own, i.e. on the chart's source with only that column taken from the target; when no single column
    /// is refused, the column the refusal names.
    /// </summary>
    public static IReadOnlyList<ColumnMisfit> Misfits(string chartType, ChartRequestConfig original, IReadOnlyList<ColumnRole> roles,
        DataSet source, DataSet target, ProblemException refusal)
    {
        var misfits = new List<ColumnMisfit>();
        foreach (var role in roles)
        {
            var column = target.Find(role.Mapped)!;
            var trial = new DataSet
            {
                Columns = [.. source.Columns.Where(c => !string.Equals(c.Name, role.Original, StringComparison.OrdinalIgnoreCase)), column],
                RowCount = source.RowCount,
            };
            try
            {
                ChartRequestValidation.Validate(trial, chartType, Apply(original, new Dictionary<string, string> { [role.Original] = column.Name }));
            }
            catch (ProblemException problem) when (problem.Status == 422)
            {
                misfits.Add(new ColumnMisfit(role.Field, role.Mapped, problem.Detail ?? problem.Title));
            }
        }
        if (misfits.Count > 0) return misfits;
        return roles.Where(r => refusal.Errors?.ContainsKey(r.Field) == true && refusal.Detail?.Contains($"'{r.Mapped}'") == true)
            .Select(r => new ColumnMisfit(r.Field, r.Mapped, refusal.Detail!)).Take(1).ToList();
    }

    /// <summary>422: <c>errors.columns</c> lists the columns, each role's field its reasons, the detail names each.</summary>
    public static ProblemException Problem(IReadOnlyList<ColumnMisfit> misfits)
    {
        var errors = new Dictionary<string, string[]> { ["columns"] = misfits.Select(m => m.Column).Distinct().ToArray() };
        foreach (var field in misfits.GroupBy(m => m.Field)) errors[field.Key] = field.Select(m => m.Reason).ToArray();
        return new ProblemException(422, "The chart does not fit the target data source",
            "Columns that do not fit: " + string.Join("; ", misfits.Select(m => m.Reason)) + ". Map them with column_map.", errors);
    }
}
