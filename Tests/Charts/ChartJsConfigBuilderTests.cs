using System.Text.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

public class ChartJsConfigBuilderTests
{
    public static IEnumerable<object[]> Cases => ChartCases.Names();

    static (AggregatedChart Chart, JsonObject Config, string Json) Build(string name)
    {
        var c = ChartCases.Named(name);
        var chart = ChartAggregator.Aggregate(c.Data(), c.ChartType, c.Config);
        var config = ChartJsConfigBuilder.Build(chart, c.Presentation);
        return (chart, config, config.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void every_case_builds_a_chart_js_config_whose_labels_and_data_agree(string name)
    {
        var c = ChartCases.Named(name);
        var (chart, config, json) = Build(name);

        json.ShouldNotContain("NaN");
        json.ShouldNotContain("Infinity");
        var parsed = JsonNode.Parse(json)!.AsObject(); // round-trips as standard JSON
        parsed["type"]!.GetValue<string>().ShouldBe(ExpectedJsType(c.ChartType));

        var datasets = config["data"]!["datasets"]!.AsArray();
        datasets.Count.ShouldBe(c.ExpectedDatasets);
        var points = 0;
        if (c.ChartType == ChartTypes.Scatter)
        {
            config["data"]!["labels"].ShouldBeNull();
            foreach (var d in datasets)
            {
                var data = d!["data"]!.AsArray();
                data.ShouldAllBe(p => p is JsonObject && p["x"] != null && p["y"] != null);
                points += data.Count;
            }
            points.ShouldBe(chart.Points!.Count);
        }
        else
        {
            var labels = config["data"]!["labels"]!.AsArray();
            labels.Count.ShouldBe(chart.Labels.Count);
            labels.Count.ShouldBeGreaterThan(0);
            foreach (var d in datasets)
            {
                d!["data"]!.AsArray().Count.ShouldBe(labels.Count);
                d["label"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
                points += labels.Count;
            }
        }
        points.ShouldBeLessThanOrEqualTo(ChartAggregator.MaxPoints);
        points.ShouldBeGreaterThan(0);

        var options = config["options"]!;
        options["responsive"]!.GetValue<bool>().ShouldBeTrue();
        options["plugins"]!["title"]!["text"]!.GetValue<string>().ShouldBe(c.Presentation.Title);
        options["plugins"]!["title"]!["display"]!.GetValue<bool>().ShouldBeTrue();
        options["plugins"]!["legend"]!["display"]!.GetValue<bool>()
            .ShouldBe(c.ExpectedDatasets > 1 || ChartTypes.IsPieLike(c.ChartType));
        if (ChartTypes.IsPieLike(c.ChartType)) options["scales"].ShouldBeNull();
        else
        {
            options["scales"]!["x"]!["title"]!["text"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
            options["scales"]!["y"]!["title"]!["text"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
        json.Length.ShouldBeLessThan(400_000);
    }

    static string ExpectedJsType(string chartType) => chartType switch
    {
        ChartTypes.Bar or ChartTypes.HorizontalBar or ChartTypes.StackedBar or ChartTypes.Histogram => "bar",
        ChartTypes.Line or ChartTypes.Area => "line",
        _ => chartType,
    };

    [Fact]
    public void every_chart_type_has_at_least_one_case() =>
        ChartCases.All.Select(c => c.ChartType).Distinct().Order().ShouldBe(ChartTypes.All.Order());

    [Fact]
    public void horizontal_bar_is_a_bar_with_index_axis_y_and_the_value_axis_on_x()
    {
        var (_, config, _) = Build("horizontal_bar_birdstrikes_species_top_25");
        config["type"]!.GetValue<string>().ShouldBe("bar");
        config["options"]!["indexAxis"]!.GetValue<string>().ShouldBe("y");
        config["options"]!["scales"]!["y"]!["type"]!.GetValue<string>().ShouldBe("category");
        config["options"]!["scales"]!["x"]!["beginAtZero"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void stacked_bar_stacks_both_axes_and_every_dataset()
    {
        var (_, config, _) = Build("stacked_bar_barley_site_by_variety");
        config["options"]!["scales"]!["x"]!["stacked"]!.GetValue<bool>().ShouldBeTrue();
        config["options"]!["scales"]!["y"]!["stacked"]!.GetValue<bool>().ShouldBeTrue();
        config["data"]!["datasets"]!.AsArray().ShouldAllBe(d => d!["stack"]!.GetValue<string>() == "total");
        // Ten varieties from the viridis ramp: ten different colours.
        config["data"]!["datasets"]!.AsArray().Select(d => d!["backgroundColor"]!.GetValue<string>()).Distinct().Count().ShouldBe(10);
    }

    [Fact]
    public void area_is_a_filled_line_and_stacked_areas_fill_to_the_series_below()
    {
        var (_, single, _) = Build("area_crimea_army_size");
        single["type"]!.GetValue<string>().ShouldBe("line");
        single["data"]!["datasets"]![0]!["fill"]!.GetValue<string>().ShouldBe("origin");

        var (_, stacked, _) = Build("area_population_stacked_by_sex");
        var datasets = stacked["data"]!["datasets"]!.AsArray();
        datasets[0]!["fill"]!.GetValue<string>().ShouldBe("origin");
        datasets[1]!["fill"]!.GetValue<string>().ShouldBe("-1");
        stacked["options"]!["scales"]!["y"]!["stacked"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void histogram_bars_touch()
    {
        var (_, config, _) = Build("histogram_seattle_temperature");
        var dataset = config["data"]!["datasets"]![0]!;
        dataset["barPercentage"]!.GetValue<int>().ShouldBe(1);
        dataset["categoryPercentage"]!.GetValue<int>().ShouldBe(1);
        config["options"]!["scales"]!["y"]!["beginAtZero"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void pie_gets_one_colour_per_slice_and_a_legend()
    {
        var (chart, config, _) = Build("pie_barley_yield_by_site");
        var colors = config["data"]!["datasets"]![0]!["backgroundColor"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        colors.Count.ShouldBe(chart.Labels.Count);
        colors.Distinct().Count().ShouldBe(colors.Count);
        config["options"]!["plugins"]!["legend"]!["display"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void lines_with_more_than_200_points_have_no_point_markers_and_short_ones_do()
    {
        var (longChart, longConfig, _) = Build("line_seattle_daily_temperature");
        longChart.Labels.Count.ShouldBeGreaterThan(ChartJsConfigBuilder.PointMarkerLimit);
        longConfig["data"]!["datasets"]![0]!["pointRadius"]!.GetValue<int>().ShouldBe(0);

        var (shortChart, shortConfig, _) = Build("line_crimea_three_causes");
        shortChart.Labels.Count.ShouldBeLessThanOrEqualTo(ChartJsConfigBuilder.PointMarkerLimit);
        shortConfig["data"]!["datasets"]![0]!["pointRadius"]!.GetValue<int>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public void values_spanning_three_orders_of_magnitude_get_a_log_axis_and_others_do_not()
    {
        var (chart, config, _) = Build("horizontal_bar_burtin_penicillin_log");
        var values = chart.Series[0].Values.OfType<double>().ToList();
        (values.Max() / values.Min()).ShouldBeGreaterThanOrEqualTo(1000);
        config["options"]!["scales"]!["x"]!["type"]!.GetValue<string>().ShouldBe("logarithmic");
        config["options"]!["plugins"]!["chartcraft"]!["log_scale"]!.GetValue<bool>().ShouldBeTrue();

        var (_, barley, _) = Build("bar_barley_yield_by_site");
        barley["options"]!["scales"]!["y"]!["type"]!.GetValue<string>().ShouldBe("linear");
    }

    [Fact]
    public void a_log_axis_is_never_used_when_a_value_is_zero_or_negative()
    {
        var data = new DataSetBuilder().Labels("k", ["a", "b", "c"]).Numeric("v", [0, 5, 50000]).Build();
        var config = ChartJsConfigBuilder.Build(ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "k", YColumn = ["v"] }), new());
        config["options"]!["scales"]!["y"]!["type"]!.GetValue<string>().ShouldBe("linear");
    }

    [Fact]
    public void a_line_far_from_zero_gets_a_small_margin_instead_of_a_zero_baseline()
    {
        var dates = Enumerable.Range(0, 12).Select(i => (DateTime?)DataSetBuilder.Utc(2024, i + 1, 1)).ToArray();
        var values = Enumerable.Range(0, 12).Select(i => (double?)(1000 + i)).ToArray();
        var data = new DataSetBuilder().Dates("month", dates).Numeric("index_level", values).Build();
        var config = ChartJsConfigBuilder.Build(ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "month", YColumn = ["index_level"] }), new());
        var y = config["options"]!["scales"]!["y"]!;
        y["beginAtZero"].ShouldBeNull();
        y["suggestedMin"]!.GetValue<double>().ShouldBe(1000 - 0.05 * 11, 1e-9);
        y["suggestedMax"]!.GetValue<double>().ShouldBe(1011 + 0.05 * 11, 1e-9);
    }

    [Fact]
    public void number_format_hints_follow_the_unit()
    {
        Hint(Categories().Numeric("share", [12.5, 40], unit: "%")).ShouldBe("percent");
        Hint(Categories().Numeric("revenue", [10, 20], unit: "$")).ShouldBe("currency");
        Hint(Categories().Numeric("visitors", [12000, 48000])).ShouldBe("thousands");
        Hint(Categories().Numeric("score", [3, 4])).ShouldBe("number");

        static DataSetBuilder Categories() => new DataSetBuilder().Labels("k", ["a", "b"]);

        static string Hint(DataSetBuilder builder)
        {
            var data = builder.Build();
            var chart = ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "k", YColumn = [data.Columns[1].Name] });
            var config = ChartJsConfigBuilder.Build(chart, new());
            config["options"]!["plugins"]!["chartcraft"]!["unit"]?.GetValue<string>().ShouldBe(data.Columns[1].Unit);
            return config["options"]!["plugins"]!["chartcraft"]!["format"]!.GetValue<string>();
        }
    }

    [Fact]
    public void missing_values_become_json_nulls_so_chart_js_draws_a_gap()
    {
        var data = new DataSetBuilder()
            .Dates("month", "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01")
            .Numeric("sales", [10, null, 30, 40])
            .Build();
        var config = ChartJsConfigBuilder.Build(ChartAggregator.Aggregate(data, ChartTypes.Line, new() { XColumn = "month", YColumn = ["sales"] }), new());
        var values = config["data"]!["datasets"]![0]!["data"]!.AsArray();
        values.Select(v => v?.GetValue<double>()).ShouldBe([10, null, 30, 40]);
        config["data"]!["datasets"]![0]!["spanGaps"]!.GetValue<bool>().ShouldBeFalse();
        config.ToJsonString().ShouldContain("null");
    }

    [Fact]
    public void non_finite_values_never_reach_the_json()
    {
        var chart = new AggregatedChart(ChartTypes.Line, "x", AxisKinds.Category, null, ["a", "b", "c"], null,
            [new ChartSeries("v", [1, double.NaN, double.PositiveInfinity])], "v", Aggregations.Sum, null);
        var json = ChartJsConfigBuilder.Build(chart, new()).ToJsonString();
        json.ShouldNotContain("NaN");
        json.ShouldNotContain("Infinity");
        JsonSerializer.Deserialize<JsonObject>(json)!["data"]!["datasets"]![0]!["data"]!.AsArray()
            .Select(v => v?.GetValue<double>()).ShouldBe([1, null, null]);
    }

    [Fact]
    public void dark_theme_colours_text_for_a_dark_background_with_readable_contrast()
    {
        var (_, config, _) = Build("bar_birdstrikes_count_by_time_of_day_dark");
        var hints = config["options"]!["plugins"]!["chartcraft"]!;
        hints["background"]!.GetValue<string>().ShouldBe("#1e1e1e");
        foreach (var color in new[]
                 {
                     config["options"]!["plugins"]!["title"]!["color"]!.GetValue<string>(),
                     config["options"]!["scales"]!["x"]!["ticks"]!["color"]!.GetValue<string>(),
                     config["options"]!["scales"]!["y"]!["title"]!["color"]!.GetValue<string>(),
                 })
            Palettes.ContrastRatio(color, "#1e1e1e").ShouldBeGreaterThanOrEqualTo(4.5);
    }

    [Fact]
    public void long_labels_rotate_and_carry_a_truncation_hint()
    {
        var names = Enumerable.Range(1, 6).Select(i => $"A rather long category name number {i}").ToArray();
        var data = new DataSetBuilder().Labels("name", names).Numeric("v", [1, 2, 3, 4, 5, 6]).Build();
        var config = ChartJsConfigBuilder.Build(ChartAggregator.Aggregate(data, ChartTypes.Bar, new() { XColumn = "name", YColumn = ["v"] }), new());
        config["options"]!["scales"]!["x"]!["ticks"]!["maxRotation"]!.GetValue<int>().ShouldBe(45);
        config["options"]!["plugins"]!["chartcraft"]!["truncate_labels"]!.GetValue<int>().ShouldBe(ChartJsConfigBuilder.LongLabel);
        // The labels themselves stay whole: tooltips show them in full.
        config["data"]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ShouldBe(names.Reverse());
    }
}
