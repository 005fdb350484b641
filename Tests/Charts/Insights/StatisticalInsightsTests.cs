using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Statistics;
using ChartCraft.Tests.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts.Insights;

public class StatisticalInsightsTests
{
    static InsightFact Only(IReadOnlyList<InsightFact> facts, string kind, string? series = null)
    {
        var matching = facts.Where(f => f.Kind == kind && f.Series == series).ToList();
        matching.Count.ShouldBe(1, $"expected one {kind} fact, got: {string.Join(" | ", facts.Select(f => f.Kind + ": " + f.Text))}");
        return matching[0];
    }

    [Fact]
    public void growth_from_first_to_last_quarter_leads_the_headline_with_the_percentage()
    {
        var chart = SampleCharts.Quarterly("$", 1000, 1100, 1050, 1250);

        var facts = StatisticalInsights.FindFacts(chart);
        var insights = InsightWriter.Write(chart, facts);

        var change = Only(facts, InsightKinds.Change);
        change.Figures["change_percent"].ShouldBe((1250.0 - 1000) / 1000 * 100, 1e-9);
        change.Labels.ShouldBe(["Q1 2024", "Q4 2024"]);
        facts[0].Kind.ShouldBe(InsightKinds.Change);
        insights.Headline.ShouldBe("Revenue grew 25% from Q1 2024 to Q4 2024");
        insights.Insights[0].ShouldBe("Revenue grew 25% from Q1 2024 to Q4 2024 ($1,000 to $1,250).");
        insights.Source.ShouldBe("statistical");
        insights.Insights.Count.ShouldBeInRange(3, 5);
        // Under a year: no compound annual rate is extrapolated.
        facts.ShouldNotContain(f => f.Kind == InsightKinds.Cagr);
    }

    [Fact]
    public void a_fall_is_written_with_one_decimal_and_the_values_with_thousands_separators()
    {
        var chart = SampleCharts.Quarterly("$", 48_000, 45_500, 44_100, 41_234);

        var insights = InsightWriter.Write(chart, StatisticalInsights.FindFacts(chart));

        var percent = (48_000 - 41_234) / 48_000.0 * 100; // 14.0958...
        insights.Headline.ShouldBe($"Revenue fell {Math.Round(percent, 1):0.0}% from Q1 2024 to Q4 2024");
        insights.Insights.ShouldContain("Revenue fell 14.1% from Q1 2024 to Q4 2024 ($48,000 to $41,234).");
    }

    [Fact]
    public void compound_annual_growth_over_five_years_matches_the_formula()
    {
        var chart = SampleCharts.Yearly("sales", "sum", "$", 2019, 100, 120, 130, 150, 170, 200);

        var cagr = Only(StatisticalInsights.FindFacts(chart), InsightKinds.Cagr);

        var expected = (Math.Pow(200.0 / 100, 1.0 / 5) - 1) * 100; // 14.87%
        cagr.Figures["cagr_percent"].ShouldBe(expected, 1e-9);
        cagr.Figures["years"].ShouldBe(5, 1e-9);
        cagr.Text.ShouldBe("Sales grew at a compound annual rate of 14.9% from 2019 to 2024 (5 years).");
    }

    [Fact]
    public void a_percent_measure_changes_by_percentage_points()
    {
        var chart = SampleCharts.Yearly("unemployment_rate", "mean", "%", 2020, 5.0, 6.2, 5.8, 7.1);

        var change = Only(StatisticalInsights.FindFacts(chart), InsightKinds.Change);

        change.Text.ShouldBe("Average unemployment rate rose by 2.1 percentage points from 2020 to 2023 (5% to 7.1%).");
        change.Figures["change"].ShouldBe(7.1 - 5.0, 1e-9);
    }

    [Fact]
    public void peak_and_trough_name_their_categories()
    {
        var chart = SampleCharts.Categories("bar", "store", "basket_value", "mean", "$",
            ("Leeds", 31.5), ("York", 48.25), ("Hull", 35), ("Bath", 22.1), ("Ely", 40));

        var facts = StatisticalInsights.FindFacts(chart);

        var peak = Only(facts, InsightKinds.Peak);
        peak.Labels.ShouldBe(["York"]);
        peak.Value.ShouldBe(48.25);
        peak.Text.ShouldBe("York has the highest average basket value, at $48.25.");
        var trough = Only(facts, InsightKinds.Trough);
        trough.Labels.ShouldBe(["Bath"]);
        trough.Text.ShouldBe("Bath has the lowest average basket value, at $22.1.");
        // Averages do not add up to a total, so no share of total is claimed.
        facts.ShouldNotContain(f => f.Kind == InsightKinds.TopCategory || f.Kind == InsightKinds.Concentration);
    }

    [Fact]
    public void the_top_category_and_the_top_three_carry_their_share_of_the_total()
    {
        var chart = SampleCharts.Categories("bar", "region", "revenue", "sum", "$",
            ("North", 5_400), ("South", 2_250), ("East", 1_200), ("West", 700), ("Central", 450));

        var facts = StatisticalInsights.FindFacts(chart);
        var insights = InsightWriter.Write(chart, facts);

        const double total = 5_400 + 2_250 + 1_200 + 700 + 450;
        var top = Only(facts, InsightKinds.TopCategory);
        top.Labels[0].ShouldBe("North");
        top.Figures["share_percent"].ShouldBe(5_400 / total * 100, 1e-9);
        var concentration = Only(facts, InsightKinds.Concentration);
        concentration.Figures["share_percent"].ShouldBe((5_400 + 2_250 + 1_200) / total * 100, 1e-9);
        concentration.Labels.ShouldBe(["North", "South", "East"]);
        insights.Headline.ShouldBe("North is the largest region with 54% of total revenue");
        insights.Insights.ShouldContain("North is the largest region with $5,400 (54% of total revenue), 2.4 times South.");
        insights.Insights.ShouldContain("North, South and East, the top 3 of 5 categories, make up 88.5% of total revenue.");
    }

    [Fact]
    public void a_linear_series_has_a_trend_with_r_squared_one_and_its_slope()
    {
        var values = Enumerable.Range(0, 24).Select(i => (double?)(1_000 + 25 * i)).ToList();
        var chart = SampleCharts.Monthly("revenue", "$", values);

        var trend = Only(StatisticalInsights.FindFacts(chart), InsightKinds.Trend);

        trend.Figures["r_squared"].ShouldBe(1, 1e-12);
        trend.Figures["slope"].ShouldBe(25, 1e-9);
        trend.Text.ShouldBe("Revenue shows a strong upward trend, rising about $25 per month on average (R² = 1.00).");
    }

    [Fact]
    public void a_yearly_cycle_in_monthly_data_is_found_with_its_high_month()
    {
        // Four years of a sine with a 12-month period peaking in month index 3 (April), on a rising trend.
        var values = Enumerable.Range(0, 48).Select(i => (double?)(500 + 80 * Math.Sin(2 * Math.PI * i / 12) + 2 * i)).ToList();
        var chart = SampleCharts.Monthly("visitors", null, values);

        var season = Only(StatisticalInsights.FindFacts(chart), InsightKinds.Seasonality);

        season.Figures["lag"].ShouldBe(12);
        season.Figures["autocorrelation"].ShouldBeGreaterThan(0.95);
        season.Labels.ShouldBe(["April"]);
        season.Text.ShouldStartWith("Visitors follows a yearly seasonal pattern: values 12 months apart move together");
    }

    [Fact]
    public void scatter_correlation_is_pearson_r_with_its_square()
    {
        var random = new Random(11);
        var points = Enumerable.Range(0, 80).Select(i => { var x = 150 + i; return (X: (double)x, Y: 0.9 * x - 80 + 6 * Reference.Normal(random)); }).ToList();
        var chart = SampleCharts.Scatter("height", "weight", points);

        var facts = StatisticalInsights.FindFacts(chart);

        var r = Reference.Pearson(points.Select(p => p.X).ToList(), points.Select(p => p.Y).ToList());
        var correlation = Only(facts, InsightKinds.Correlation);
        correlation.Figures["r"].ShouldBe(r, 1e-9);
        correlation.Figures["r_squared"].ShouldBe(r * r, 1e-9);
        correlation.Figures["points"].ShouldBe(80);
        correlation.Text.ShouldStartWith("Weight and height are strongly positively correlated (r = ");
        facts[0].Kind.ShouldBe(InsightKinds.Correlation);
    }

    [Fact]
    public void an_outlier_is_flagged_with_its_label_and_z_score()
    {
        double?[] values = [100, 104, 98, 101, 103, 99, 102, 400, 100, 97, 101, 103];
        var chart = SampleCharts.Monthly("orders", null, values);

        var outlier = Only(StatisticalInsights.FindFacts(chart), InsightKinds.Outlier);

        var shown = values.Select(v => v!.Value).ToList();
        var mean = shown.Average();
        var sd = Math.Sqrt(shown.Sum(v => (v - mean) * (v - mean)) / (shown.Count - 1));
        outlier.Labels.ShouldBe(["Aug 2020"]);
        outlier.Figures["z_score"].ShouldBe((400 - mean) / sd, 1e-9);
        outlier.Text.ShouldBe($"Aug 2020 stands out at 400, {(400 - mean) / sd:0.0} standard deviations above the average of {mean:0.0}.");
    }

    [Fact]
    public void several_series_are_compared_by_total_and_by_growth()
    {
        var chart = SampleCharts.Quarterly("$", 100, 110, 120, 130) with
        {
            Series = [new ChartSeries("North", [1_000, 1_100, 1_200, 1_400]), new ChartSeries("South", [800, 820, 810, 840])],
        };

        var facts = StatisticalInsights.FindFacts(chart);

        var leader = Only(facts, InsightKinds.SeriesLeader);
        leader.Labels.ShouldBe(["North", "South"]);
        leader.Figures["share_percent"].ShouldBe(4_700.0 / (4_700 + 3_270) * 100, 1e-9);
        var growth = Only(facts, InsightKinds.SeriesGrowth);
        growth.Text.ShouldBe("North grew the most, up 40% from Q1 2024 to Q4 2024, against up 5% for South.");
        // Each series also gets its own facts, named in the subject.
        Only(facts, InsightKinds.Change, "South").Text.ShouldStartWith("Revenue (South) grew 5% from Q1 2024 to Q4 2024");
    }

    [Fact]
    public void a_histogram_names_its_most_common_range()
    {
        var chart = new AggregatedChart("histogram", "petal_length", AxisKinds.Numeric, null,
            ["1–2", "2–3", "3–4", "4–5", "5–6", "6–7"], null, [new ChartSeries("count", [50, 0, 11, 43, 35, 11])], "count", "count", null);

        var insights = InsightWriter.Write(chart, StatisticalInsights.FindFacts(chart));

        insights.Headline.ShouldBe("The most common petal length range is 1–2");
        insights.Insights.ShouldContain("The most common petal length range is 1–2, with 50 values (33.3% of all).");
    }

    [Fact]
    public void missing_values_are_skipped_and_an_empty_chart_says_so()
    {
        var gaps = SampleCharts.Quarterly("$", 1000, null, null, 1500);
        var change = Only(StatisticalInsights.FindFacts(gaps), InsightKinds.Change);
        change.Figures["change_percent"].ShouldBe(50, 1e-9);

        var empty = SampleCharts.Quarterly("$", null, null, null, null);
        var insights = InsightWriter.Write(empty, StatisticalInsights.FindFacts(empty));
        insights.Facts.ShouldBeEmpty();
        insights.Headline.ShouldBe("No data to summarise");
        insights.Insights.ShouldNotBeEmpty();
    }

    [Fact]
    public void facts_are_ranked_best_first_and_scores_stay_between_zero_and_one()
    {
        var chart = SampleCharts.Monthly("revenue", "$", Enumerable.Range(0, 36).Select(i => (double?)(1_000 + 10 * i + 200 * Math.Sin(2 * Math.PI * i / 12))).ToList());

        var facts = StatisticalInsights.FindFacts(chart);

        facts.Select(f => f.Score).ShouldBeInOrder(SortDirection.Descending);
        facts.ShouldAllBe(f => f.Score >= 0 && f.Score <= 1);
    }

    [Fact]
    public void the_folded_other_bar_is_never_named_and_shares_are_of_the_whole()
    {
        var flights = VegaDatasets.Read("flights-airport.csv");
        var chart = ChartAggregator.Aggregate(flights, ChartTypes.HorizontalBar,
            new ChartRequestConfig { XColumn = "origin", YColumn = ["count"], Aggregation = "sum" });
        chart.LastIsOther.ShouldBeTrue();

        var facts = StatisticalInsights.FindFacts(chart);
        var insights = InsightWriter.Write(chart, facts);

        facts.SelectMany(f => f.Labels).ShouldNotContain(ChartAggregator.OtherLabel);
        // Independently: flights per origin over every row of the file.
        var byOrigin = flights.Columns[0].Raw.Zip(flights.Columns[2].Numbers!)
            .GroupBy(p => p.First!).ToDictionary(g => g.Key, g => g.Sum(p => p.Second ?? 0));
        var (top, most) = byOrigin.MaxBy(kv => kv.Value);
        var share = most / byOrigin.Values.Sum() * 100;
        insights.Headline.ShouldBe($"{top} is the largest origin with {Readable.Percent(share)} of total count");
    }

    [Fact]
    public void a_compound_annual_rate_that_rounds_to_zero_is_not_a_fact()
    {
        // 150 years from 100 to 105: about 0.03% a year, which would read "grew at a compound annual rate of 0%".
        var years = Enumerable.Range(0, 16).Select(i => 1850 + i * 10).ToList();
        var chart = new AggregatedChart(ChartTypes.Line, "year", AxisKinds.Time, "year", years.Select(y => y.ToString()).ToList(),
            years.Select(y => new DateTime(y, 1, 1, 0, 0, 0, DateTimeKind.Utc)).ToList(),
            [new ChartSeries("share", years.Select(y => (double?)(100 + (y - 1850) / 30.0)).ToList())], "share", "mean", null);

        StatisticalInsights.FindFacts(chart).ShouldNotContain(f => f.Kind == InsightKinds.Cagr);
    }

    [Fact]
    public void with_one_series_per_column_each_series_is_named_as_its_own_measure()
    {
        var months = Enumerable.Range(0, 24).ToList();
        var chart = new AggregatedChart(ChartTypes.Line, "date", AxisKinds.Time, "month", months.Select(m => $"M{m}").ToList(),
            months.Select(m => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(m)).ToList(),
            [
                new ChartSeries("temperature", months.Select(m => (double?)(10 + 8 * Math.Sin(m * Math.PI / 6))).ToList()),
                new ChartSeries("wind", months.Select(m => (double?)(4 + m * 0.1)).ToList()),
            ], "temperature, wind", "mean", null);

        var texts = StatisticalInsights.FindFacts(chart).Select(f => f.Text).ToList();

        texts.ShouldContain(t => t.Contains("average temperature", StringComparison.OrdinalIgnoreCase));
        texts.ShouldNotContain(t => t.Contains("temperature, wind"));
        // Temperature and wind have no common unit: no fact ranks one above the other.
        StatisticalInsights.FindFacts(chart).ShouldNotContain(f => f.Kind == InsightKinds.SeriesLeader);
    }

    [Fact]
    public void measures_in_one_unit_are_ranked_by_their_own_names()
    {
        var chart = new AggregatedChart(ChartTypes.Bar, "region", AxisKinds.Category, null, ["North", "South", "West"], null,
            [new ChartSeries("Cost Repair", [10.0, 20.0, 30.0]), new ChartSeries("Cost Other", [1.0, 2.0, 3.0])],
            "Cost Repair, Cost Other", "sum", "$");

        var leader = StatisticalInsights.FindFacts(chart).Single(f => f.Kind == InsightKinds.SeriesLeader);

        leader.Headline.ShouldBe("Cost repair is the largest of the 2 measures");
        leader.Text.ShouldBe("Cost repair is the largest of the 2 measures at $60 in total, ahead of cost other at $6.");
    }

    [Fact]
    public void a_share_headline_reads_naturally_for_a_title_case_measure_with_a_unit()
    {
        var chart = new AggregatedChart(ChartTypes.Bar, "Phase of flight", AxisKinds.Category, null, ["Climb", "Approach", "Landing"], null,
            [new ChartSeries("Cost Total $", [500.0, 300.0, 200.0])], "Cost Total $", "sum", "$");

        var insights = InsightWriter.Write(chart, StatisticalInsights.FindFacts(chart));

        insights.Headline.ShouldBe("Climb is the largest phase of flight with 50% of total cost total");
    }
}
