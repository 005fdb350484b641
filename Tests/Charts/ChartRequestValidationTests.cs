using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Errors;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

public class ChartRequestValidationTests
{
    static readonly DataSet Sales = new DataSetBuilder()
        .Dates("date", "2024-01-01", "2024-02-01", "2024-03-01")
        .Labels("region", ["north", "south", "north"])
        .Labels("comment", ["late delivery, customer unhappy", "fine", "great service overall"], ColumnTypes.Text)
        .Labels("note", ["a", "b", "c"], ColumnTypes.Text)
        .Numeric("sales", [10, 20, 30])
        .Numeric("margin", [-5, 3, 4])
        .Build();

    static ProblemException Rejected(string chartType, ChartRequestConfig config)
    {
        var problem = Should.Throw<ProblemException>(() => ChartAggregator.Aggregate(Sales, chartType, config));
        problem.Status.ShouldBe(422);
        return problem;
    }

    [Fact]
    public void a_column_that_does_not_exist_is_rejected_with_422_naming_it_and_listing_the_columns()
    {
        var problem = Rejected(ChartTypes.Bar, new() { XColumn = "region", YColumn = ["revenue"] });
        problem.Detail.ShouldBe("column 'revenue' does not exist; available: date, region, comment, note, sales, margin");
        problem.Errors!.Keys.ShouldBe(["config.y_column"]);

        Rejected(ChartTypes.Line, new() { XColumn = "day", YColumn = ["sales"] }).Detail!.ShouldStartWith("column 'day' does not exist");
        Rejected(ChartTypes.StackedBar, new() { XColumn = "region", YColumn = ["sales"], GroupColumn = "segment" })
            .Errors!.Keys.ShouldBe(["config.group_column"]);
    }

    [Fact]
    public void column_names_match_case_insensitively_when_there_is_no_exact_match()
    {
        var chart = ChartAggregator.Aggregate(Sales, ChartTypes.Bar, new() { XColumn = "Region", YColumn = ["SALES"] });
        chart.XColumn.ShouldBe("region");
        chart.Measure.ShouldBe("sales");
    }

    [Fact]
    public void scatter_of_two_text_columns_is_rejected_with_422()
    {
        Rejected(ChartTypes.Scatter, new() { XColumn = "comment", YColumn = ["note"] })
            .Detail.ShouldBe("a scatter chart needs two numeric columns; column 'comment' is text");
        Rejected(ChartTypes.Scatter, new() { XColumn = "sales", YColumn = ["note"] })
            .Detail.ShouldBe("a scatter chart needs two numeric columns; column 'note' is text");
    }

    [Fact]
    public void line_without_a_datetime_or_numeric_x_is_rejected_with_422()
    {
        var problem = Rejected(ChartTypes.Line, new() { XColumn = "region", YColumn = ["sales"] });
        problem.Detail!.ShouldContain("column 'region' is categorical");
        problem.Errors!.Keys.ShouldBe(["config.x_column"]);
        Rejected(ChartTypes.Area, new() { XColumn = "comment", YColumn = ["sales"] }).Detail!.ShouldContain("'comment'");
    }

    [Fact]
    public void pie_with_negative_values_is_rejected_with_422()
    {
        Rejected(ChartTypes.Pie, new() { XColumn = "region", YColumn = ["margin"] })
            .Detail!.ShouldStartWith("column 'margin' has negative values (lowest -5)");
        Rejected(ChartTypes.Doughnut, new() { XColumn = "region", YColumn = ["margin"] }).Detail!.ShouldContain("'margin'");
        // The real data set: daily returns go below zero.
        var problem = Should.Throw<ProblemException>(() =>
            ChartAggregator.Aggregate(VegaDatasets.Read("ohlc.csv"), ChartTypes.Pie, new() { XColumn = "signal", YColumn = ["ret"] }));
        problem.Detail!.ShouldContain("column 'ret' has negative values");
    }

    [Fact]
    public void histogram_of_a_text_column_is_rejected_with_422()
    {
        Rejected(ChartTypes.Histogram, new() { XColumn = "region" })
            .Detail.ShouldBe("a histogram needs a numeric column; column 'region' is categorical");
    }

    [Fact]
    public void summing_a_text_column_is_rejected_but_counting_it_works()
    {
        Rejected(ChartTypes.Bar, new() { XColumn = "region", YColumn = ["comment"], Aggregation = "sum" })
            .Detail!.ShouldContain("column 'comment' is text");
        var counted = ChartAggregator.Aggregate(Sales, ChartTypes.Bar, new() { XColumn = "region", YColumn = ["comment"], Aggregation = "count" });
        counted.Series[0].Values.ShouldBe([2.0, 1.0]);
    }

    [Fact]
    public void pie_takes_one_series_only()
    {
        Rejected(ChartTypes.Pie, new() { XColumn = "region", YColumn = ["sales"], GroupColumn = "date" })
            .Errors!.Keys.ShouldBe(["config.group_column"]);
    }

    [Theory]
    [InlineData("aggregation", "config.aggregation")]
    [InlineData("time_unit", "config.time_unit")]
    [InlineData("sort", "config.sort")]
    public void unknown_option_values_are_rejected_naming_the_field(string option, string field)
    {
        var config = option switch
        {
            "aggregation" => new ChartRequestConfig { XColumn = "region", YColumn = ["sales"], Aggregation = "average" },
            "time_unit" => new ChartRequestConfig { XColumn = "date", YColumn = ["sales"], TimeUnit = "fortnight" },
            _ => new ChartRequestConfig { XColumn = "region", YColumn = ["sales"], Sort = "random" },
        };
        var problem = Rejected(ChartTypes.Bar, config);
        problem.Errors!.Keys.ShouldBe([field]);
        problem.Detail!.ShouldContain("is not supported; use one of:");
    }

    [Fact]
    public void unknown_chart_type_and_missing_x_column_are_rejected()
    {
        Rejected("radar", new() { XColumn = "region" }).Errors!.Keys.ShouldBe(["chart_type"]);
        Rejected(ChartTypes.Bar, new() { YColumn = ["sales"] }).Detail.ShouldBe("a bar chart needs x_column");
        Rejected(ChartTypes.Bar, new() { XColumn = "region", YColumn = ["sales"], Limit = 0 }).Errors!.Keys.ShouldBe(["config.limit"]);
    }

    [Fact]
    public void a_column_with_no_values_is_rejected()
    {
        var data = new DataSetBuilder().Labels("k", ["a", "b"]).Numeric("empty", [null, null]).Build();
        Should.Throw<ProblemException>(() => ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "k", YColumn = ["empty"] }))
            .Detail.ShouldBe("column 'empty' has no values");
    }
}
