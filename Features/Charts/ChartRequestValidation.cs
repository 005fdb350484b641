using System.Globalization;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Upload;

namespace ChartCraft.Features.Charts;

/// <summary>A chart request checked against the data: the columns it names exist and can feed the chart type.</summary>
/// <param name="ChartType">One of <see cref="ChartTypes"/>.</param>
/// <param name="Config">The request's config as posted.</param>
/// <param name="X">The x column (for histograms: the measured column).</param>
/// <param name="Ys">The y columns; empty when the chart counts rows.</param>
/// <param name="Group">The column that splits the measure into series, if any.</param>
/// <param name="Aggregation">The aggregation to apply: the requested one or the default for the measure ("none" for scatter).</param>
/// <param name="Measured">For histograms: the column whose distribution is shown.</param>
public sealed record ValidatedChartRequest(
    string ChartType,
    ChartRequestConfig Config,
    DataColumn X,
    IReadOnlyList<DataColumn> Ys,
    DataColumn? Group,
    string Aggregation,
    DataColumn? Measured = null);

/// <summary>
/// Checks a chart request against a data set and answers 422 naming the column when the data cannot
/// feed the chart: a column that does not exist, a type the chart cannot draw, negative pie slices.
/// </summary>
public static class ChartRequestValidation
{
    public const string Title = "The chart cannot be drawn from this data";

    /// <summary>Most y columns one chart takes; beyond that a legend stops being readable.</summary>
    public const int MaxYColumns = 10;

    public static ValidatedChartRequest Validate(DataSet data, string chartType, ChartRequestConfig config)
    {
        if (!ChartTypes.IsKnown(chartType))
            throw Problem("chart_type", $"chart_type '{chartType}' is not supported; use one of: {string.Join(", ", ChartTypes.All)}");
        CheckOptions(config);

        var ys = (config.YColumn ?? []).Where(y => !string.IsNullOrWhiteSpace(y)).ToList();
        if (ys.Count > MaxYColumns)
            throw Problem("config.y_column", $"at most {MaxYColumns} y columns fit in one chart; {ys.Count} were given");
        if (ys.Count != ys.Distinct(StringComparer.OrdinalIgnoreCase).Count())
            throw Problem("config.y_column", "y_column names the same column twice");

        var typeName = Describe(chartType);

        if (chartType == ChartTypes.Histogram) return Histogram(data, config, ys);

        if (string.IsNullOrWhiteSpace(config.XColumn))
            throw Problem("config.x_column", $"{typeName} needs x_column");
        var x = Column(data, config.XColumn, "config.x_column");
        RequireValues(x, "config.x_column");
        var yColumns = ys.Select(y => Column(data, y, "config.y_column")).ToList();
        foreach (var y in yColumns)
            if (string.Equals(y.Name, x.Name, StringComparison.Ordinal) && chartType != ChartTypes.Scatter)
                throw Problem("config.y_column", $"column '{y.Name}' is already the x_column; choose another y_column");
        var group = GroupColumn(data, config, x);
        if (group is not null && yColumns.Count > 1)
            throw Problem("config.group_column", "group_column splits one y_column into series; it cannot be combined with several y columns");

        return chartType == ChartTypes.Scatter ? Scatter(config, x, yColumns, group) : Aggregated(chartType, config, x, yColumns, group);
    }

    static ValidatedChartRequest Histogram(DataSet data, ChartRequestConfig config, List<string> ys)
    {
        var measuredName = !string.IsNullOrWhiteSpace(config.XColumn) ? config.XColumn : ys.FirstOrDefault();
        if (measuredName is null)
            throw Problem("config.x_column", "a histogram needs x_column: the numeric column whose distribution it shows");
        var field = !string.IsNullOrWhiteSpace(config.XColumn) ? "config.x_column" : "config.y_column";
        var measured = Column(data, measuredName, field);
        if (measured.Type != ColumnTypes.Numeric)
            throw Problem(field, $"a histogram needs a numeric column; column '{measured.Name}' is {measured.Type}");
        RequireValues(measured, field);
        var group = GroupColumn(data, config, measured);
        return new ValidatedChartRequest(ChartTypes.Histogram, config, measured, [], group, Aggregations.Count, measured);
    }

    static ValidatedChartRequest Scatter(ChartRequestConfig config, DataColumn x, List<DataColumn> yColumns, DataColumn? group)
    {
        if (x.Type != ColumnTypes.Numeric)
            throw Problem("config.x_column", $"a scatter chart needs two numeric columns; column '{x.Name}' is {x.Type}");
        if (yColumns.Count == 0)
            throw Problem("config.y_column", "a scatter chart needs y_column: a numeric column to plot against x");
        if (yColumns.Count > 1)
            throw Problem("config.y_column", "a scatter chart takes one y_column (use group_column to colour points by category)");
        if (yColumns[0].Type != ColumnTypes.Numeric)
            throw Problem("config.y_column", $"a scatter chart needs two numeric columns; column '{yColumns[0].Name}' is {yColumns[0].Type}");
        RequireValues(yColumns[0], "config.y_column");
        return new ValidatedChartRequest(ChartTypes.Scatter, config, x, yColumns, group, "none");
    }

    /// <summary>Bar, line, area and pie charts: one value per category (or period) and series, aggregated.</summary>
    static ValidatedChartRequest Aggregated(string chartType, ChartRequestConfig config, DataColumn x, List<DataColumn> yColumns,
        DataColumn? group)
    {
        var typeName = Describe(chartType);
        if (ChartTypes.IsLineLike(chartType) && x.Type is not (ColumnTypes.Datetime or ColumnTypes.Numeric))
            throw Problem("config.x_column",
                $"{typeName} needs a datetime or numeric x_column; column '{x.Name}' is {x.Type} (a bar chart compares categories)");

        var aggregation = config.Aggregation ?? Aggregations.DefaultFor(yColumns.FirstOrDefault());
        if (aggregation != Aggregations.Count)
        {
            foreach (var y in yColumns)
            {
                if (y.Type != ColumnTypes.Numeric)
                    throw Problem("config.y_column",
                        $"{typeName} needs a numeric y_column to {aggregation}; column '{y.Name}' is {y.Type} (use aggregation 'count' to count rows)");
                RequireValues(y, "config.y_column");
            }
            if (yColumns.Count == 0)
                throw Problem("config.aggregation", $"aggregation '{aggregation}' needs a y_column; without one the chart counts rows");
        }

        if (ChartTypes.IsPieLike(chartType))
        {
            if (group is not null || yColumns.Count > 1)
                throw Problem(group is not null ? "config.group_column" : "config.y_column",
                    $"{typeName} shows one series of parts of a whole; use a stacked_bar to split it by another column");
            if (aggregation != Aggregations.Count && yColumns.Count == 1 && yColumns[0].Numbers!.Where(v => v < 0).Min() is { } negative)
                throw Problem("config.y_column",
                    $"column '{yColumns[0].Name}' has negative values (lowest {negative.ToString("G6", CultureInfo.InvariantCulture)}); {typeName} cannot show them as slices (use a bar chart)");
        }

        return new ValidatedChartRequest(chartType, config, x, yColumns, group, aggregation);
    }

    static void CheckOptions(ChartRequestConfig config)
    {
        if (config.Aggregation is not null && !Aggregations.IsKnown(config.Aggregation))
            throw Problem("config.aggregation", $"aggregation '{config.Aggregation}' is not supported; use one of: {string.Join(", ", Aggregations.All)}");
        if (config.TimeUnit is not null && !TimeBuckets.IsKnown(config.TimeUnit))
            throw Problem("config.time_unit", $"time_unit '{config.TimeUnit}' is not supported; use one of: {string.Join(", ", TimeBuckets.Units)}");
        if (config.Sort is not null && !SortOrders.All.Contains(config.Sort))
            throw Problem("config.sort", $"sort '{config.Sort}' is not supported; use one of: {string.Join(", ", SortOrders.All)}");
        if (config.Limit is < 1 or > 1000)
            throw Problem("config.limit", $"limit must be between 1 and 1000; got {config.Limit}");
        if (config.Bins is < 1 or > 200)
            throw Problem("config.bins", $"bins must be between 1 and 200; got {config.Bins}");
        if (config.ColorScheme is { } scheme) Palettes.Validate(scheme);
    }

    static DataColumn? GroupColumn(DataSet data, ChartRequestConfig config, DataColumn x)
    {
        if (string.IsNullOrWhiteSpace(config.GroupColumn)) return null;
        var group = Column(data, config.GroupColumn, "config.group_column");
        if (string.Equals(group.Name, x.Name, StringComparison.Ordinal))
            throw Problem("config.group_column", $"column '{group.Name}' is already the x axis; group_column must be another column");
        RequireValues(group, "config.group_column");
        return group;
    }

    static DataColumn Column(DataSet data, string name, string field) =>
        data.Find(name) ?? throw Problem(field, $"column '{name}' does not exist; available: {Available(data)}");

    static void RequireValues(DataColumn column, string field)
    {
        if (column.NullCount == column.Length)
            throw Problem(field, $"column '{column.Name}' has no values");
    }

    static string Available(DataSet data)
    {
        const int shown = 30;
        var names = data.Columns.Take(shown).Select(c => c.Name);
        return string.Join(", ", names) + (data.Columns.Count > shown ? $", … ({data.Columns.Count} columns)" : "");
    }

    static string Describe(string chartType) => chartType switch
    {
        ChartTypes.HorizontalBar => "a horizontal bar chart",
        ChartTypes.StackedBar => "a stacked bar chart",
        ChartTypes.Area => "an area chart",
        _ => $"a {chartType} chart",
    };

    /// <summary>422 with the message as detail and under the field it is about.</summary>
    public static ProblemException Problem(string field, string message) =>
        new(422, Title, message, new Dictionary<string, string[]> { [field] = [message] });
}
