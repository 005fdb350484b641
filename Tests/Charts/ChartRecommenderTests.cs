using System.Text.Json;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

public class ChartRecommenderTests
{
    static DateTime?[] Months(int n) => Enumerable.Range(0, n).Select(i => (DateTime?)DataSetBuilder.Utc(2022, 1, 1).AddMonths(i)).ToArray();

    static double?[] Values(int n, Func<int, double> f) => Enumerable.Range(0, n).Select(i => (double?)f(i)).ToArray();

    static string?[] Repeat(int n, params string[] values) => Enumerable.Range(0, n).Select(i => values[i % values.Length]).ToArray();

    static IEnumerable<string> ColumnsOf(ChartSuggestion s) =>
        new[] { s.Config.XColumn, s.Config.GroupColumn }.Concat(s.Config.YColumn ?? []).OfType<string>();

    [Fact]
    public void datetime_and_numeric_suggest_a_line_first_with_the_columns_and_period_count_in_the_reason()
    {
        var data = new DataSetBuilder().Dates("month", Months(24)).Numeric("revenue", Values(24, i => 1000 + 40 * i + (i % 3) * 25)).Build();
        var first = ChartRecommender.Suggest(data)[0];

        first.ChartType.ShouldBe(ChartTypes.Line);
        first.Reason.ShouldBe("revenue over 24 months: a line shows the trend");
        first.Config.XColumn.ShouldBe("month");
        first.Config.YColumn.ShouldBe(["revenue"]);
        first.Config.TimeUnit.ShouldBe("month");
        first.Config.Aggregation.ShouldBe("sum");
        first.Confidence.ShouldBeInRange(0.85, 1.0);
    }

    [Fact]
    public void hundreds_of_repeated_categories_get_a_top_n_bar_and_the_chart_holds_the_top_n_plus_other()
    {
        var flights = VegaDatasets.Read("flights-airport.csv"); // 5 366 routes from 303 origins
        var bar = ChartRecommender.Suggest(flights).First(s => s.Config.XColumn == "origin");

        bar.ChartType.ShouldBe(ChartTypes.HorizontalBar);
        bar.Config.YColumn.ShouldBe(["count"]);
        bar.Reason.ShouldBe($"count across 303 origins: a horizontal bar compares the top {ChartAggregator.DefaultBarLimit} and groups the rest as Other");
        var chart = ChartAggregator.Aggregate(flights, bar.ChartType, bar.Config);
        chart.Labels.Count.ShouldBe(ChartAggregator.DefaultBarLimit + 1);
        chart.Labels[^1].ShouldBe("Other");
    }

    [Fact]
    public void a_row_count_per_category_is_offered_only_when_categories_repeat()
    {
        // One row per state: counting rows per state would draw 50 bars of 1.
        ChartRecommender.Suggest(VegaDatasets.Read("obesity.csv"))
            .ShouldNotContain(s => s.Config.Aggregation == Aggregations.Count && s.Config.XColumn == "state");
        var bar = ChartRecommender.Suggest(VegaDatasets.Read("obesity.csv")).First(s => s.Config.XColumn == "state");
        bar.Config.YColumn.ShouldBe(["rate"]);
        // Forty rows over five regions: counts per region are worth a bar.
        ChartRecommender.Suggest(new DataSetBuilder().Labels("region", Repeat(40, "north", "south", "east", "west", "central")).Build())
            .ShouldContain(s => s.Config.Aggregation == Aggregations.Count && s.Config.XColumn == "region");
    }

    [Fact]
    public void hundreds_of_categories_that_never_repeat_are_not_an_axis()
    {
        var data = new DataSetBuilder()
            .Labels("code", Enumerable.Range(0, 300).Select(i => (string?)$"C{i:000}").ToArray())
            .Numeric("amount", Values(300, i => 10 + i % 17))
            .Build();
        ChartRecommender.Suggest(data).ShouldNotContain(s => s.Config.XColumn == "code");
    }

    [Fact]
    public void categorical_and_numeric_suggest_a_bar_comparing_the_categories()
    {
        var data = new DataSetBuilder()
            .Labels("region", Repeat(40, "north", "south", "east", "west", "central"))
            .Numeric("sales", Values(40, i => 100 + i * 7 % 50))
            .Build();
        var bar = ChartRecommender.Suggest(data)[0];
        bar.ChartType.ShouldBe(ChartTypes.Bar);
        bar.Reason.ShouldBe("sales across 5 regions: a bar compares them");
        bar.Config.ShouldBe(new ChartRequestConfig { XColumn = "region", YColumn = bar.Config.YColumn, Aggregation = "sum" });
        bar.Config.YColumn.ShouldBe(["sales"]);
    }

    [Fact]
    public void long_or_many_category_labels_suggest_horizontal_bars_instead()
    {
        var longLabels = new DataSetBuilder()
            .Labels("department", Repeat(30, "Research and Development", "Customer Success Operations", "Finance"))
            .Numeric("budget", Values(30, i => 10 + i))
            .Build();
        var types = ChartRecommender.Suggest(longLabels).Select(s => s.ChartType).ToList();
        types.ShouldContain(ChartTypes.HorizontalBar);
        types.ShouldNotContain(ChartTypes.Bar);

        var codes = Enumerable.Range(0, 20).Select(i => $"C{i}").ToArray();
        var many = new DataSetBuilder().Labels("code", Repeat(200, codes)).Numeric("units", Values(200, i => i % 17)).Build();
        var top = ChartRecommender.Suggest(many)[0];
        top.ChartType.ShouldBe(ChartTypes.HorizontalBar);
        top.Reason.ShouldContain("20 codes");
    }

    [Fact]
    public void a_few_parts_of_a_whole_suggest_pie_and_doughnut()
    {
        var data = new DataSetBuilder()
            .Labels("channel", Repeat(50, "web", "store", "phone", "partner"))
            .Numeric("orders", Values(50, i => 5 + i % 9))
            .Build();
        var suggestions = ChartRecommender.Suggest(data);
        var pie = suggestions.First(s => s.ChartType == ChartTypes.Pie);
        pie.Reason.ShouldBe("orders split across 4 channels: a pie shows each one's share of the total");
        pie.Config.Aggregation.ShouldBe("sum");
        suggestions.ShouldContain(s => s.ChartType == ChartTypes.Doughnut);
    }

    [Fact]
    public void pie_is_never_offered_for_nine_categories()
    {
        var data = new DataSetBuilder()
            .Labels("fruit", Repeat(90, "apple", "pear", "plum", "fig", "kiwi", "lime", "date", "peach", "grape"))
            .Numeric("kg", Values(90, i => 1 + i % 7))
            .Build();
        var types = ChartRecommender.Suggest(data).Select(s => s.ChartType).ToList();
        types.ShouldNotContain(ChartTypes.Pie);
        types.ShouldNotContain(ChartTypes.Doughnut);
        types.ShouldContain(ChartTypes.Bar);
    }

    [Fact]
    public void pie_is_never_offered_for_negative_values_or_rates()
    {
        var negative = new DataSetBuilder()
            .Labels("desk", Repeat(30, "rates", "fx", "credit"))
            .Numeric("pnl", Values(30, i => i % 4 == 0 ? -120 : 80))
            .Build();
        ChartRecommender.Suggest(negative).Where(s => s.Config.YColumn is not null)
            .ShouldNotContain(s => ChartTypes.IsPieLike(s.ChartType));

        var rates = new DataSetBuilder()
            .Labels("desk", Repeat(30, "rates", "fx", "credit"))
            .Numeric("win_rate", Values(30, i => 40 + i % 20), unit: "%")
            .Build();
        ChartRecommender.Suggest(rates).Where(s => s.Config.YColumn is not null)
            .ShouldNotContain(s => ChartTypes.IsPieLike(s.ChartType));
    }

    [Fact]
    public void two_numeric_columns_suggest_a_scatter_whose_confidence_rises_with_the_correlation()
    {
        var random = new Random(5);
        var x = Values(200, _ => random.NextDouble() * 10);
        var strong = new DataSetBuilder().Numeric("height", x).Numeric("weight", x.Select(v => (double?)(v!.Value * 3 + random.NextDouble() * 6)).ToArray()).Build();
        var weak = new DataSetBuilder().Numeric("height", x).Numeric("weight", x.Select(v => (double?)(v!.Value * 0.3 + random.NextDouble() * 10)).ToArray()).Build();
        var none = new DataSetBuilder().Numeric("height", x).Numeric("weight", x.Select(_ => (double?)(random.NextDouble() * 10)).ToArray()).Build();

        double Scatter(DataSet d) => ChartRecommender.Suggest(d).Single(s => s.ChartType == ChartTypes.Scatter).Confidence;
        Scatter(strong).ShouldBeGreaterThan(Scatter(weak));
        Scatter(weak).ShouldBeGreaterThan(Scatter(none));
        var reason = ChartRecommender.Suggest(strong).Single(s => s.ChartType == ChartTypes.Scatter).Reason;
        reason.ShouldMatch(@"^height and weight across 200 rows are strongly correlated \(r = 0\.9\d\): a scatter shows how they move together$");

        // The same column twice (|r| = 1) has nothing to show.
        var twin = new DataSetBuilder().Numeric("celsius", x).Numeric("fahrenheit", x.Select(v => v * 9 / 5 + 32).ToArray()).Build();
        ChartRecommender.Suggest(twin).ShouldNotContain(s => s.ChartType == ChartTypes.Scatter);

        ChartRecommender.Confidence(0).ShouldBe(0.3, 1e-12);
        ChartRecommender.Confidence(-1).ShouldBe(0.9, 1e-12);
        ChartRecommender.Confidence(0.5).ShouldBe(ChartRecommender.Confidence(-0.5));
    }

    [Fact]
    public void a_single_numeric_column_suggests_a_histogram()
    {
        var data = new DataSetBuilder().Numeric("latency_ms", Values(300, i => 20 + (i * 37 % 101))).Build();
        var suggestions = ChartRecommender.Suggest(data);
        suggestions[0].ChartType.ShouldBe(ChartTypes.Histogram);
        suggestions[0].Reason.ShouldBe("distribution of latency_ms over 300 values: a histogram shows its shape, spread and outliers");
        suggestions[0].Config.XColumn.ShouldBe("latency_ms");
    }

    [Fact]
    public void two_categories_and_an_additive_measure_suggest_a_stacked_bar()
    {
        var stacked = ChartRecommender.Suggest(VegaDatasets.Read("barley.csv")).First(s => s.ChartType == ChartTypes.StackedBar);
        stacked.Config.YColumn.ShouldBe(["yield"]);
        stacked.Config.Stacked.ShouldBe(true);
        new[] { stacked.Config.XColumn, stacked.Config.GroupColumn }.ShouldBeSubsetOf(["site", "variety", "year"]);
        stacked.Reason.ShouldContain($"yield by {stacked.Config.XColumn} and {stacked.Config.GroupColumn}");
    }

    [Fact]
    public void several_comparable_measures_over_time_suggest_one_multi_series_line()
    {
        var suggestions = ChartRecommender.Suggest(VegaDatasets.Read("crimea.csv"));
        var multi = suggestions.Single(s => s.ChartType == ChartTypes.Line && s.Config.YColumn!.Count > 1);
        // Deaths by cause share an axis; the army's size (tens of thousands) would flatten them.
        multi.Config.YColumn.ShouldBe(["wounds", "other", "disease"]);
        multi.Reason.ShouldBe("wounds, other and disease over 24 months of date: one line per measure compares their trends");
        suggestions.ToList().IndexOf(multi).ShouldBe(1);
    }

    [Fact]
    public void a_measure_that_never_falls_suggests_an_area()
    {
        var data = new DataSetBuilder().Dates("month", Months(18)).Numeric("signups", Values(18, i => 100 + i * i * 3)).Build();
        var area = ChartRecommender.Suggest(data).Single(s => s.ChartType == ChartTypes.Area);
        area.Reason.ShouldBe("signups never falls over 18 months: an area shows how it builds up");
    }

    [Fact]
    public void a_part_of_whole_measure_over_time_split_by_a_few_categories_suggests_stacked_areas()
    {
        var area = ChartRecommender.Suggest(VegaDatasets.Read("population.csv")).Single(s => s.ChartType == ChartTypes.Area);
        area.Config.ShouldBe(new ChartRequestConfig
        {
            XColumn = "year", YColumn = area.Config.YColumn, GroupColumn = "sex", Aggregation = "sum", TimeUnit = "year", Stacked = true,
        });
        area.Config.YColumn.ShouldBe(["people"]);
        area.Reason.ShouldBe("people by sex over 15 years: stacked areas show how each of the 2 sexes adds to the total");
    }

    [Fact]
    public void data_with_nothing_to_chart_gets_no_suggestions()
    {
        ChartRecommender.Suggest(new DataSetBuilder().Build()).ShouldBeEmpty();
        ChartRecommender.Suggest(new DataSetBuilder().Labels("notes", ["first long note", "second long note"], ColumnTypes.Text).Build()).ShouldBeEmpty();
        ChartRecommender.Suggest(new DataSetBuilder().Numeric("constant", [3, 3, 3, 3]).Build()).ShouldBeEmpty();
    }

    [Fact]
    public void id_and_free_text_columns_are_never_used()
    {
        var n = 60;
        var data = new DataSetBuilder()
            .Numeric("customer_id", Values(n, i => 1000 + i))
            .Labels("order_ref", Enumerable.Range(0, n).Select(i => $"ORD-{i:0000}").ToArray(), ColumnTypes.Id)
            .Numeric("row", Values(n, i => i + 1))
            .Labels("comment", Enumerable.Range(0, n).Select(i => $"Customer wrote a long note number {i} about delivery").ToArray(), ColumnTypes.Text)
            .Labels("segment", Repeat(n, "consumer", "business", "public"))
            .Dates("ordered", Enumerable.Range(0, n).Select(i => (DateTime?)DataSetBuilder.Utc(2024, 1, 1).AddDays(i * 3)).ToArray())
            .Numeric("amount", Values(n, i => 20 + i * 13 % 70))
            .Build();

        var suggestions = ChartRecommender.Suggest(data);
        suggestions.ShouldNotBeEmpty();
        foreach (var s in suggestions)
            ColumnsOf(s).ShouldNotContain(c => c == "customer_id" || c == "order_ref" || c == "row" || c == "comment", s.Reason);
    }

    [Fact]
    public void one_short_name_per_row_with_measures_gets_a_bar_per_entity()
    {
        // Inference types a list of first names as text; with measures beside them each row is a person.
        var data = new DataSetBuilder()
            .Labels("name", ["Ada", "Brook", "Cyril", "Dana", "Emil", "Farah", "Gus", "Hana"], ColumnTypes.Text)
            .Numeric("age", [25, 32, 39, 42, 28, 51, 35, 46])
            .Numeric("height", [180, 174, 182, 161, 170, 177, 168, 159])
            .Build();

        var first = ChartRecommender.Suggest(data)[0];

        first.ChartType.ShouldBe(ChartTypes.Bar);
        first.Config.XColumn.ShouldBe("name");
        first.Config.YColumn.ShouldBe(["age"]);
        ChartAggregator.Aggregate(data, first.ChartType, first.Config).Labels.Count.ShouldBe(8);
    }

    [Fact]
    public void columns_with_many_missing_values_rank_below_complete_ones()
    {
        var complete = Values(40, i => 50 + i % 11);
        var sparse = complete.Select((v, i) => i % 5 == 0 ? v : null).ToArray();
        var data = new DataSetBuilder().Dates("month", Months(40)).Numeric("gaps", sparse).Numeric("full", complete).Build();
        var lines = ChartRecommender.Suggest(data).Where(s => s.ChartType == ChartTypes.Line && s.Config.YColumn?.Count == 1).ToList();
        lines[0].Config.YColumn.ShouldBe(["full"]);
        lines.Single(s => s.Config.YColumn![0] == "gaps").Confidence.ShouldBeLessThan(lines[0].Confidence);
    }

    [Fact]
    public void suggestions_are_deduplicated_capped_ranked_and_cover_several_types()
    {
        foreach (var file in DataFiles)
        {
            var suggestions = ChartRecommender.Suggest(VegaDatasets.Read(file));
            suggestions.Count.ShouldBeInRange(1, ChartRecommender.MaxSuggestions);
            suggestions.Select(s => s.Confidence).ShouldBeInOrder(SortDirection.Descending);
            suggestions.ShouldAllBe(s => s.Confidence > 0 && s.Confidence <= 1);
            suggestions.Select(s => $"{s.ChartType}|{string.Join(",", ColumnsOf(s))}|{s.Config.Aggregation}").ShouldBeUnique();
            if (file is "barley.csv" or "crimea.csv" or "birdstrikes-3000.csv" or "population.csv")
                suggestions.Select(s => s.ChartType).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3, file);
        }
    }

    [Fact]
    public void suggest_types_lists_each_type_once_best_first()
    {
        var data = VegaDatasets.Read("barley.csv");
        var types = ChartRecommender.SuggestTypes(data);
        types.ShouldBeUnique();
        types.ShouldBe(ChartRecommender.Suggest(data).Select(s => s.ChartType).Distinct());
        types.ShouldContain(ChartTypes.Pie);
    }

    public static readonly string[] DataFiles =
    [
        "anscombe.csv", "barley.csv", "birdstrikes-3000.csv", "burtin.csv", "crimea.csv", "driving.csv", "income.csv",
        "obesity.csv", "ohlc.csv", "population.csv", "seattle-weather-hourly-normals.csv", "wheat.csv", "windvectors.csv",
    ];

    [Fact]
    public void every_suggestion_posts_back_unchanged_and_draws()
    {
        var json = new JsonSerializerOptions();
        Api.ConfigureJson(json);
        foreach (var file in DataFiles)
        {
            var data = VegaDatasets.Read(file);
            foreach (var s in ChartRecommender.Suggest(data))
            {
                // Through the API's JSON and back, as a client would post it.
                var posted = JsonSerializer.Deserialize<ChartRequestConfig>(JsonSerializer.Serialize(s.Config, json), json)!;
                var chart = ChartAggregator.Aggregate(data, s.ChartType, posted);
                chart.ChartType.ShouldBe(s.ChartType);
                (chart.Points?.Count ?? chart.Labels.Count).ShouldBeGreaterThan(0, $"{file}: {s.Reason}");
                ChartJsConfigBuilder.Build(chart, new ChartPresentation(s.Reason)).ToJsonString().ShouldNotContain("NaN");
            }
        }
    }
}
