using FastEndpoints;
using FluentValidation;

namespace ChartCraft.Infrastructure.Api;

/// <summary>?page=1&amp;page_size=20 (max 100), as every list endpoint takes it.</summary>
public class PageRequest
{
    public const int MaxPageSize = 100;

    [QueryParam, BindFrom("page")] public int Page { get; set; } = 1;
    [QueryParam, BindFrom("page_size")] public int PageSize { get; set; } = 20;

    /// <summary>Items on the pages before this one.</summary>
    public int ItemsBefore => (Page - 1) * PageSize;
}

/// <summary>Rejects pages below 1 and sizes outside 1..100 with 422 naming the parameter.</summary>
public class PageRequestValidator<T> : Validator<T> where T : PageRequest
{
    public PageRequestValidator()
    {
        RuleFor(x => x.Page).GreaterThanOrEqualTo(1).WithName("page").OverridePropertyName("page");
        RuleFor(x => x.PageSize).InclusiveBetween(1, PageRequest.MaxPageSize).WithName("page_size").OverridePropertyName("page_size");
    }
}

/// <summary>A page of a list: <c>{items, page, page_size, total}</c>.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);
