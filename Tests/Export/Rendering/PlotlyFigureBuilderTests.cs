using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Export.Rendering;
using Plotly.NET;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>The figure JSON plotly.js receives: same numbers, labels and colours as the aggregated chart.</summary>
public class PlotlyFigureBuilderTests
{
    static readonly IReadOnlyList<string> Palette = ["#112233", "#445566", "#778899"];

    static JsonNode Figure(AggregatedChart chart, FigureOptions? options = null) =>
        JsonNode.Parse(GenericChart.toJson(PlotlyFigureBuilder.Build(chart, options ?? new FigureOptions(Colors: Palette))))!;

    static double?[] Numbers(JsonNode? array) => array!.AsArray().Select(n => n?.GetValue<double>()).ToArray();
    static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public void bar_chart_has_one_bar_per_label_with_the_aggregated_values_and_the_first_palette_colour()
    {
        var chart = SampleCharts.YieldBySite("bar");
        var trace = Figure(chart)["data"]![0]!;

        trace["type"]!.GetValue<string>().ShouldBe("bar");
        Strings(trace["x"]).ShouldBe(SampleCharts.Sites);
        var expected = SampleCharts.Sites.Select(s => SampleCharts.Barley.Where(r => r.Site == s).Sum(r => r.Yield)).ToArray();
        Numbers(trace["y"]).Select(v => v!.Value).ShouldBe(expected, tolerance: 1e-9);
        trace["marker"]!["color"]!.GetValue<string>().ShouldBe("#112233");
    }

    [Fact]
    public void title_and_axis_labels_are_the_ones_given()
    {
        var figure = Figure(SampleCharts.YieldBySite("bar"), new FigureOptions("Yield by site", "Site", "Total yield"));

        figure["layout"]!["title"]!["text"]!.GetValue<string>().ShouldBe("Yield by site");
        figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>().ShouldBe("Site");
        figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>().ShouldBe("Total yield");
        figure["layout"]!["xaxis"]!["type"]!.GetValue<string>().ShouldBe("category");
    }

    [Fact]
    public void null_values_stay_null_so_plotly_draws_a_gap_not_a_zero()
    {
        var chart = new AggregatedChart("line", "month", AxisKinds.Time, "month", ["Jan", "Feb", "Mar", "Apr"], null,
            [new ChartSeries("sales", [10, null, double.NaN, 40])], "sales", "sum", null);

        var trace = Figure(chart)["data"]![0]!;

        Numbers(trace["y"]).ShouldBe([10, null, null, 40]);
        trace["connectgaps"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public void every_series_of_a_multi_series_chart_gets_its_own_trace_name_and_colour()
    {
        var chart = SampleCharts.YieldBySiteAndYear("line");
        var data = Figure(chart)["data"]!.AsArray();

        data.Count.ShouldBe(2);
        data.Select(t => t!["name"]!.GetValue<string>()).ShouldBe(["1931", "1932"]);
        data.Select(t => t!["line"]!["color"]!.GetValue<string>()).ShouldBe(["#112233", "#445566"]);
        var waseca1932 = SampleCharts.Barley.Where(r => r.Site == "Waseca" && r.Year == 1932).Sum(r => r.Yield);
        Numbers(data[1]!["y"])[SampleCharts.Sites.ToList().IndexOf("Waseca")]!.Value.ShouldBe(waseca1932, 1e-9);
        Figure(chart)["layout"]!["showlegend"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory]
    [InlineData("bar", "group")]
    [InlineData("stacked_bar", "stack")]
    public void bar_mode_groups_or_stacks_the_series(string chartType, string barMode) =>
        Figure(SampleCharts.YieldBySiteAndYear(chartType))["layout"]!["barmode"]!.GetValue<string>().ShouldBe(barMode);

    [Fact]
    public void horizontal_bars_put_labels_on_the_y_axis_first_label_on_top()
    {
        var figure = Figure(SampleCharts.YieldBySite("horizontal_bar"), new FigureOptions(XLabel: "Site", YLabel: "Yield"));
        var trace = figure["data"]![0]!;

        trace["orientation"]!.GetValue<string>().ShouldBe("h");
        Strings(trace["y"]).ShouldBe(SampleCharts.Sites);
        figure["layout"]!["yaxis"]!["autorange"]!.GetValue<string>().ShouldBe("reversed");
        figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>().ShouldBe("Site");
        figure["layout"]!["xaxis"]!["title"]!["text"]!.GetValue<string>().ShouldBe("Yield");
    }

    [Fact]
    public void histogram_draws_its_bins_as_bars_without_gaps()
    {
        var chart = SampleCharts.YieldHistogram();
        var figure = Figure(chart);

        figure["data"]![0]!["type"]!.GetValue<string>().ShouldBe("bar");
        figure["layout"]!["bargap"]!.GetValue<double>().ShouldBe(0);
        Numbers(figure["data"]![0]!["y"]).Sum().ShouldBe(SampleCharts.Barley.Count);
    }

    [Theory]
    [InlineData("pie", null)]
    [InlineData("doughnut", 0.5)]
    public void pie_and_doughnut_keep_label_order_and_colour_each_slice(string chartType, double? hole)
    {
        var trace = Figure(SampleCharts.YieldBySite(chartType))["data"]![0]!;

        trace["type"]!.GetValue<string>().ShouldBe("pie");
        Strings(trace["labels"]).ShouldBe(SampleCharts.Sites);
        trace["sort"]!.GetValue<bool>().ShouldBeFalse();
        Strings(trace["marker"]!["colors"]).ShouldBe(Enumerable.Range(0, 6).Select(i => Palette[i % 3]));
        ((double?)trace["hole"]?.GetValue<double>()).ShouldBe(hole);
    }

    [Fact]
    public void scatter_plots_the_points_on_numeric_axes()
    {
        var chart = SampleCharts.AnscombeScatter();
        var figure = Figure(chart);

        Numbers(figure["data"]![0]!["x"]).ShouldBe(chart.Points!.Select(p => (double?)p.X));
        Numbers(figure["data"]![0]!["y"]).ShouldBe(chart.Points!.Select(p => (double?)p.Y));
        figure["data"]![0]!["mode"]!.GetValue<string>().ShouldBe("markers");
        figure["layout"]!["xaxis"]!["type"]!.GetValue<string>().ShouldBe("linear");
    }

    [Fact]
    public void area_fills_to_zero_with_a_translucent_series_colour()
    {
        var trace = Figure(SampleCharts.YieldBySite("area"))["data"]![0]!;

        trace["fill"]!.GetValue<string>().ShouldBe("tozeroy");
        trace["fillcolor"]!.GetValue<string>().ShouldBe("rgba(17,34,51,0.3)");
    }

    [Theory]
    [InlineData("%", null, "%")]
    [InlineData("$", "$", null)]
    [InlineData("€", "€", null)]
    [InlineData("£", "£", null)]
    public void unit_becomes_a_tick_prefix_or_suffix_on_the_value_axis(string unit, string? prefix, string? suffix)
    {
        var axis = Figure(SampleCharts.YieldBySite("bar"), new FigureOptions(Unit: unit))["layout"]!["yaxis"]!;

        axis["tickprefix"]?.GetValue<string>().ShouldBe(prefix);
        axis["ticksuffix"]?.GetValue<string>().ShouldBe(suffix);
        axis["tickformat"]!.GetValue<string>().ShouldStartWith(","); // thousands separators
    }

    [Fact]
    public void unit_of_the_aggregated_chart_is_used_when_the_options_name_none()
    {
        var chart = SampleCharts.YieldBySite("bar") with { Unit = "%" };

        Figure(chart)["layout"]!["yaxis"]!["ticksuffix"]!.GetValue<string>().ShouldBe("%");
    }

    [Fact]
    public void dark_theme_and_transparent_background_set_the_paper_and_plot_colours()
    {
        var dark = Figure(SampleCharts.YieldBySite("bar"), new FigureOptions(Theme: Palettes.Theme("dark")))["layout"]!;
        dark["paper_bgcolor"]!.GetValue<string>().ShouldBe(Palettes.Theme("dark").Background);
        dark["font"]!["color"]!.GetValue<string>().ShouldBe(Palettes.Theme("dark").Text);
        dark["yaxis"]!["gridcolor"]!.GetValue<string>().ShouldBe(Palettes.Theme("dark").Grid);

        var clear = Figure(SampleCharts.YieldBySite("bar"), new FigureOptions(TransparentBackground: true))["layout"]!;
        clear["paper_bgcolor"]!.GetValue<string>().ShouldBe("rgba(0,0,0,0)");
        clear["plot_bgcolor"]!.GetValue<string>().ShouldBe("rgba(0,0,0,0)");
    }

    [Fact]
    public void no_palette_falls_back_to_the_chart_js_default_colours()
    {
        var data = Figure(SampleCharts.YieldBySiteAndYear("bar"), new FigureOptions())["data"]!.AsArray();

        data.Select(t => t!["marker"]!["color"]!.GetValue<string>()).ShouldBe(Palettes.Resolve(null, 2));
    }

    [Fact]
    public void user_text_is_escaped_so_plotly_shows_it_literally_instead_of_as_markup()
    {
        var chart = SampleCharts.YieldBySite("bar") with { Labels = ["<b>bold</b>", "A & B", "x", "y", "z", "w"] };

        var figure = Figure(chart, new FigureOptions(Title: "<script>alert(1)</script>"));

        figure["layout"]!["title"]!["text"]!.GetValue<string>().ShouldBe("&lt;script&gt;alert(1)&lt;/script&gt;");
        Strings(figure["data"]![0]!["x"]).Take(2).ShouldBe(["&lt;b&gt;bold&lt;/b&gt;", "A &amp; B"]);
    }

    [Fact]
    public void a_series_with_fewer_values_than_labels_is_rejected()
    {
        var chart = SampleCharts.YieldBySite("bar") with { Series = [new ChartSeries("yield", [1, 2])] };

        Should.Throw<ArgumentException>(() => PlotlyFigureBuilder.Build(chart, new FigureOptions()))
            .Message.ShouldContain("2 values for 6 labels");
    }

    [Fact]
    public void an_unknown_chart_type_is_rejected_naming_the_supported_ones()
    {
        var chart = SampleCharts.YieldBySite("radar");

        Should.Throw<ArgumentException>(() => PlotlyFigureBuilder.Build(chart, new FigureOptions()))
            .Message.ShouldContain("horizontal_bar");
    }

    [Theory]
    [InlineData(96, 1.0)]
    [InlineData(192, 2.0)]
    [InlineData(300, 3.125)]
    [InlineData(72, 0.75)]
    public void dpi_scale_is_dpi_over_96_css_pixels_per_inch(int dpi, double scale) =>
        ChromiumRenderer.ScaleForDpi(dpi).ShouldBe(scale);
}
