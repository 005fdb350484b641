using System.Collections.Concurrent;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

/// <summary>
/// What the user means by the shape of a real file (Data/Recommendation, sources in its SOURCES.md): two measures per
/// entity ask for a scatter, one row per state with a few measures for a bar per state, a numeric x that is not time
/// for a scatter rather than a line, and the top three are different views, each explained.
/// </summary>
public class ChartRecommenderShapeTests
{
    static readonly ConcurrentDictionary<string, DataSet> read = new();

    /// <summary>The file typed by the real parser, as an upload of it would be.</summary>
    static DataSet Read(string fileName) => read.GetOrAdd(fileName, name =>
        DataFileReader.Read(Path.Combine(AppContext.BaseDirectory, "Data", "Recommendation", name), name, null, DataFileLimits.Default).Data);

    static IEnumerable<string> ColumnsOf(ChartSuggestion s) =>
        new[] { s.Config.XColumn, s.Config.GroupColumn }.Concat(s.Config.YColumn ?? []).OfType<string>();

    public static readonly string[] Files =
        ["gapminder-health-income.csv", "population-engineers-hurricanes.csv", "cars-300.csv", "pulitzer-circulation-data.csv"];

    [Fact]
    public void two_measures_per_country_suggest_a_scatter_of_income_against_life_expectancy_first()
    {
        var suggestions = ChartRecommender.Suggest(Read("gapminder-health-income.csv"));

        var first = suggestions[0];
        first.ChartType.ShouldBe(ChartTypes.Scatter, string.Join("\n", suggestions.Select(s => $"{s.ChartType}: {s.Reason}")));
        new[] { first.Config.XColumn, first.Config.YColumn![0] }.ShouldBe(["income", "health"], ignoreOrder: true);
        // Not three bars of sums over regions: the countries themselves are the point.
        suggestions.Take(3).Count(s => s.ChartType == ChartTypes.HorizontalBar).ShouldBeLessThan(3);
    }

    [Fact]
    public void one_row_per_state_with_a_few_measures_suggests_a_bar_per_state_first()
    {
        var suggestions = ChartRecommender.Suggest(Read("population-engineers-hurricanes.csv"));

        var first = suggestions[0];
        ChartTypes.IsBarLike(first.ChartType).ShouldBeTrue(string.Join("\n", suggestions.Select(s => $"{s.ChartType}: {s.Reason}")));
        first.Config.XColumn.ShouldBe("state");
        first.Config.YColumn.ShouldBe(["population"]);
    }

    [Fact]
    public void a_few_dozen_named_rows_get_a_bar_per_entity_before_a_scatter_of_their_measures()
    {
        // 49 newspapers: prize counts for two periods and their total correlate almost perfectly, yet a reader first
        // wants the newspapers compared.
        var suggestions = ChartRecommender.Suggest(Read("pulitzer-circulation-data.csv"));

        var first = suggestions[0];
        ChartTypes.IsBarLike(first.ChartType).ShouldBeTrue(string.Join("\n", suggestions.Select(s => $"{s.ChartType}: {s.Reason}")));
        first.Config.XColumn.ShouldBe("Newspaper");
    }

    [Fact]
    public void a_numeric_x_that_is_not_time_ranks_the_scatter_above_any_line()
    {
        var suggestions = ChartRecommender.Suggest(Read("cars-300.csv")).ToList();
        var listing = string.Join("\n", suggestions.Select(s => $"{s.ChartType}: {s.Reason}"));

        // Horsepower, displacement and weight all track fuel economy and each other; the strongest pair leads.
        var scatter = suggestions.FindIndex(s => s.ChartType == ChartTypes.Scatter);
        scatter.ShouldBeInRange(0, 2, listing);
        var firstLine = suggestions.FindIndex(s => s.ChartType == ChartTypes.Line);
        if (firstLine >= 0) scatter.ShouldBeLessThan(firstLine, listing);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public void the_top_three_are_different_views_each_naming_its_columns(string file)
    {
        var top = ChartRecommender.Suggest(Read(file)).Take(3).ToList();
        var listing = string.Join("\n", top.Select(s => $"{s.ChartType}: {s.Reason}"));

        top.Select(s => $"{s.ChartType}|{string.Join(",", ColumnsOf(s).Order())}").ShouldBeUnique(listing);
        foreach (var s in top)
        {
            foreach (var column in ColumnsOf(s)) s.Reason.ShouldContain(column, Case.Insensitive, listing);
            s.Reason.ShouldMatch(@"^.+: .*\b(shows|compares)\b", "the reason says why the chart type fits: " + listing);
        }
    }

    public static TheoryData<string> FileNames() => new(Files);

    [Fact]
    public void no_two_suggestions_draw_the_same_chart_type_of_the_same_columns()
    {
        var data = Files.Select(Read).Concat(ChartRecommenderTests.DataFiles.Select(VegaDatasets.Read));
        foreach (var suggestions in data.Select(ChartRecommender.Suggest))
            suggestions.Select(s => $"{s.ChartType}|{string.Join(",", ColumnsOf(s).Order())}")
                .ShouldBeUnique(string.Join("\n", suggestions.Select(s => $"{s.ChartType}: {s.Reason}")));
    }

    [Fact]
    public void a_reason_over_time_names_the_time_column_when_the_period_does_not()
    {
        var lines = ChartRecommender.Suggest(VegaDatasets.Read("crimea.csv")).Where(s => s.ChartType == ChartTypes.Line).ToList();

        lines.ShouldNotBeEmpty();
        lines.ShouldAllBe(s => s.Reason.Contains("over 24 months of date"));
        // A column already named by its period is not repeated: "over 10 years", not "over 10 years of Year".
        ChartRecommender.Suggest(Read("cars-300.csv")).Where(s => s.ChartType == ChartTypes.Line)
            .ShouldAllBe(s => s.Reason.Contains("over 10 years:") || s.Reason.Contains("over 10 years "));
    }
}
