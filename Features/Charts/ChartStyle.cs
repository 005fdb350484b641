using System.Text.Json.Serialization;

namespace ChartCraft.Features.Charts;

/// <summary>
/// How a chart looks apart from its data: type, colours, axis labels, sort, top-N limit and stacking. What a template
/// keeps of a chart: no column names, no numbers, so it fits any data source.
/// </summary>
public sealed record ChartStyle(string ChartType, [property: JsonConverter(typeof(ColorSchemeConverter))] ColorScheme? ColorScheme, string? XLabel, string? YLabel, string? Sort, int? Limit,
    bool? Stacked)
{
    public static ChartStyle Of(Chart chart) => new(chart.ChartType, chart.Config.ColorScheme, chart.Config.XLabel,
        chart.Config.YLabel, chart.Config.Sort, chart.Config.Limit, chart.Config.Stacked);

    /// <summary>The request's own chart type and config fields win; the style fills in what they leave out.</summary>
    public (string ChartType, ChartRequestConfig Config) ApplyTo(string? chartType, ChartRequestConfig? config)
    {
        var own = config ?? new ChartRequestConfig();
        return (string.IsNullOrWhiteSpace(chartType) ? ChartType : chartType, own with
        {
            ColorScheme = own.ColorScheme ?? ColorScheme,
            XLabel = own.XLabel ?? XLabel,
            YLabel = own.YLabel ?? YLabel,
            Sort = own.Sort ?? Sort,
            Limit = own.Limit ?? Limit,
            Stacked = own.Stacked ?? Stacked,
        });
    }
}
