namespace ChartCraft.Infrastructure.Api;

/// <summary>?page=1&amp;page_size=20 (max 100), as every list endpoint takes it.</summary>
public class PageRequest
{
    public const int MaxPageSize = 100;

    /// <summary>Far past any real list, and low enough that the offset (page − 1) × page_size always fits an int.</summary>
    public const int MaxPage = 1_000_000;

    [QueryParam, BindFrom("page")] public int Page { get; set; } = 1;
    [QueryParam, BindFrom("page_size")] public int PageSize { get; set; } = 20;

    /// <summary>Items on the pages before this one.</summary>
    public int ItemsBefore => (Page - 1) * PageSize;

    /// <summary>This page of a list of <paramref name="total"/> items, as the API answers it.</summary>
    public PagedResponse<T> Respond<T>(IReadOnlyList<T> items, long total) => new(items, Page, PageSize, total);
}

/// <summary>Rejects pages outside 1..1 000 000 and sizes outside 1..100, naming the parameter (400: it is the query).</summary>
public class PageRequestValidator<T> : Validator<T> where T : PageRequest
{
    public PageRequestValidator()
    {
        RuleFor(x => x.Page).InclusiveBetween(1, PageRequest.MaxPage).WithName("page").OverridePropertyName("page");
        RuleFor(x => x.PageSize).InclusiveBetween(1, PageRequest.MaxPageSize).WithName("page_size").OverridePropertyName("page_size");
    }
}

/// <summary>A page of a list: <c>{items, page, page_size, total}</c>.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

public static class Paging
{
    /// <summary>
    /// One page of an ordered query, and how many items the whole query has. A page that ends the list tells the
    /// total by itself; otherwise (a full page, or a page past the end) the items are counted, so a frontend
    /// always learns the real total. (Marten's query statistics report 0 past the end, hence not used.)
    /// </summary>
    public static async Task<(IReadOnlyList<T> Items, long Total)> PageAsync<T>(this IQueryable<T> ordered, PageRequest page,
        CancellationToken ct)
    {
        var items = await ordered.Skip(page.ItemsBefore).Take(page.PageSize).ToListAsync(ct);
        var endsTheList = items.Count < page.PageSize && (items.Count > 0 || page.ItemsBefore == 0);
        var total = endsTheList ? page.ItemsBefore + items.Count : await ordered.CountAsync(ct);
        return (items, total);
    }
}
