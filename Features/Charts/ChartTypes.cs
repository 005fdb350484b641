namespace ChartCraft.Features.Charts;

/// <summary>The chart types a request may name, and the families they fall into.</summary>
public static class ChartTypes
{
    public const string Bar = "bar";
    public const string HorizontalBar = "horizontal_bar";
    public const string StackedBar = "stacked_bar";
    public const string Line = "line";
    public const string Area = "area";
    public const string Pie = "pie";
    public const string Doughnut = "doughnut";
    public const string Scatter = "scatter";
    public const string Histogram = "histogram";

    public static readonly IReadOnlyList<string> All =
        [Bar, HorizontalBar, StackedBar, Line, Area, Pie, Doughnut, Scatter, Histogram];

    public static bool IsKnown(string? chartType) => chartType is not null && All.Contains(chartType);

    public static bool IsBarLike(string chartType) => chartType is Bar or HorizontalBar or StackedBar;
    public static bool IsLineLike(string chartType) => chartType is Line or Area;
    public static bool IsPieLike(string chartType) => chartType is Pie or Doughnut;
}

/// <summary>The sort orders a request may name for the x axis.</summary>
public static class SortOrders
{
    /// <summary>By x: chronological, numeric or alphabetical.</summary>
    public const string X = "x";
    public const string XDesc = "x_desc";
    public const string ValueDesc = "value_desc";
    public const string ValueAsc = "value_asc";
    /// <summary>In order of first appearance in the data.</summary>
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [X, XDesc, ValueDesc, ValueAsc, None];

    /// <summary>
    /// The documented order a request means by "desc" or "asc": a chart sorted descending puts its largest bars first,
    /// so both sort by value. Any other text is returned as is, for validation to accept or refuse.
    /// </summary>
    public static string? Canonical(string? sort) => sort switch
    {
        "desc" => ValueDesc,
        "asc" => ValueAsc,
        _ => sort,
    };
}
