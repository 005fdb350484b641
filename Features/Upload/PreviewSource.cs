namespace ChartCraft.Features.Upload;

public sealed class PreviewRequest
{
    [QueryParam, BindFrom("offset")] public int Offset { get; set; }
    [QueryParam, BindFrom("limit")] public int Limit { get; set; } = 50;
}

public sealed class PreviewValidator : Validator<PreviewRequest>
{
    public const int MaxLimit = 1000;

    /// <summary>No table holds more rows, and offset + limit stays inside an int.</summary>
    public const int MaxOffset = 100_000_000;

    public PreviewValidator()
    {
        RuleFor(x => x.Offset).InclusiveBetween(0, MaxOffset).OverridePropertyName("offset");
        RuleFor(x => x.Limit).InclusiveBetween(1, MaxLimit).OverridePropertyName("limit");
    }
}

/// <summary>Rows of a data source as typed values: numbers as numbers, dates as ISO strings, missing cells as null.</summary>
public sealed record PreviewResponse(IReadOnlyList<Dictionary<string, object?>> Data, int TotalRows,
    IReadOnlyList<ColumnInfo> Columns, int Offset, int Limit);

public sealed class PreviewSourceEndpoint(IDocumentStore store, DataSetCache cache) : Endpoint<PreviewRequest, PreviewResponse>
{
    public override void Configure()
    {
        Get("/data/sources/{source_id:guid}/preview");
        Description(d => d.WithTags("Data sources").Produces<PreviewResponse>(200).ProducesProblems(400, 401, 404), clearDefaults: true);
        Summary(s => s.Summary = "Preview rows (offset, limit ≤ 1000)");
    }

    public override async Task HandleAsync(PreviewRequest req, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var source = await session.LoadOwnedSourceAsync(Route<Guid>("source_id"), User.UserId(), ct);
        var data = await cache.GetAsync(source, ct);
        var end = Math.Min(data.RowCount, req.Offset + req.Limit);
        var rows = new List<Dictionary<string, object?>>(Math.Max(0, end - req.Offset));
        for (var row = req.Offset; row < end; row++)
        {
            var cells = new Dictionary<string, object?>(data.Columns.Count);
            foreach (var column in data.Columns) cells[column.Name] = column.ValueAt(row);
            rows.Add(cells);
        }
        await Send.OkAsync(new PreviewResponse(rows, data.RowCount, source.Columns, req.Offset, req.Limit), ct);
    }
}
