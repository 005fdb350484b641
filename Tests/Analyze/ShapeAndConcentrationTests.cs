using ChartCraft.Features.Analyze;
using ChartCraft.Features.Statistics;
using ChartCraft.Tests.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class ShapeAndConcentrationTests
{
    [Fact]
    public void a_long_right_tail_is_reported_as_skew_and_suits_a_log_scale()
    {
        var random = new Random(31);
        var units = Enumerable.Range(0, 2000).Select(_ => Math.Round(Math.Exp(1 + 1.2 * Reference.Normal(random)), 1) + 0.1).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("units", units).Build(), full: true);

        var skew = Reference.Skew(units);
        skew.ShouldBeGreaterThan(1);
        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Skew);
        pattern.Metrics["skew"].ShouldBe(skew, 1e-9);
        pattern.Strength.ShouldBe(skew / (skew + 1), 1e-9);
        pattern.Description.ShouldStartWith($"units is right-skewed (skew {skew:0.00}): the mean {Readable.Number(units.Average())} is above the median {Readable.Number(Reference.Percentile(units, 0.5))}");
        result.Recommendations.ShouldContain(r => r.Type == RecommendationTypes.Transform && r.Text.StartsWith($"Log scale suits units (skew {skew:0.00}, values from "));
    }

    [Fact]
    public void a_skewed_column_that_is_mostly_zeros_is_charted_by_its_total_or_its_non_zero_rows()
    {
        var cost = Enumerable.Range(0, 100).Select(i => i < 70 ? 0.0 : i * i).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("cost", cost).Build(), full: true);

        result.Patterns.ShouldContain(p => p.Type == PatternTypes.Skew);
        // Non-zero rows are i = 70..99, so i² from 4,900 to 9,801; their median is between 84² and 85².
        var medianOfNonZero = (84 * 84 + 85 * 85) / 2.0;
        result.Recommendations.ShouldContain(r => r.Type == RecommendationTypes.Transform &&
            r.Text == $"Most cost values are 0 (70 of 100 rows): chart its total, or the 30 non-zero rows on their own (median {Readable.Number(medianOfNonZero)}).");
        result.Recommendations.ShouldNotContain(r => r.Text.StartsWith("Log scale") || r.Text.StartsWith("Summarise cost with the median"));
    }

    [Fact]
    public void a_skewed_column_with_some_zeros_is_summarised_by_its_median_instead_of_a_log_scale()
    {
        var cost = Enumerable.Range(0, 100).Select(i => i < 20 ? 0.0 : Math.Pow(1.08, i)).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("cost", cost).Build(), full: true);

        result.Patterns.ShouldContain(p => p.Type == PatternTypes.Skew);
        result.Recommendations.ShouldContain(r => r.Type == RecommendationTypes.Transform && r.Text.StartsWith("Summarise cost with the median ("));
        result.Recommendations.ShouldNotContain(r => r.Text.StartsWith("Log scale"));
    }

    [Fact]
    public void symmetric_data_has_no_skew_pattern()
    {
        var random = new Random(32);
        var data = new DataSetBuilder().Numeric("height", Enumerable.Range(0, 1000).Select(_ => 170 + 8 * Reference.Normal(random))).Build();

        DataAnalyzer.Analyze(data, full: true).Patterns.ShouldNotContain(p => p.Type == PatternTypes.Skew);
    }

    [Fact]
    public void a_few_outliers_are_reported_and_recommended_for_checking_by_row()
    {
        var random = new Random(33);
        var price = Enumerable.Range(0, 1000).Select(_ => Math.Round(40 + 10 * random.NextDouble(), 2)).ToArray();
        price[17] = 400;
        price[203] = 0.5;
        price[911] = 95;

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("price", price, unit: "$").Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Outlier);
        pattern.Metrics["count"].ShouldBe(3);
        pattern.Description.ShouldEndWith(": $400 (row 17), $95 (row 911), $0.5 (row 203).");
        result.Recommendations.ShouldContain(r => r.Type == RecommendationTypes.Cleaning && r.Columns.SequenceEqual(new[] { "price" }) &&
            r.Text == "Remove or check 3 outliers in price (rows 17, 203, 911).");
    }

    [Fact]
    public void many_outliers_in_a_long_tail_are_not_sent_for_row_by_row_checking()
    {
        var sizes = Enumerable.Range(1, 200).Select(i => i % 10 == 0 ? i * 50.0 : i % 7).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("size", sizes).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Outlier);
        pattern.Description.ShouldEndWith("at 10% of values this is a long tail rather than a few errors.");
        result.Recommendations.ShouldNotContain(r => r.Text.Contains("outliers in size"));
    }

    [Fact]
    public void values_beside_a_zero_iqr_are_counted_but_not_reported_as_outliers_to_check()
    {
        // 95 of 100 costs are 0, so Q1 = Q3 = 0 and every non-zero cost lies outside the fences.
        var cost = Enumerable.Range(0, 100).Select(i => i < 95 ? 0.0 : 100 * i).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("cost", cost).Build(), full: true);

        ((NumericStatistics)result.Statistics["cost"]).OutlierCount.ShouldBe(5);
        result.Patterns.ShouldNotContain(p => p.Type == PatternTypes.Outlier);
        result.Recommendations.ShouldNotContain(r => r.Text.Contains("outlier"));
        result.Patterns.ShouldContain(p => p.Type == PatternTypes.Concentration && p.Columns[0] == "cost");
    }

    [Fact]
    public void one_dominant_category_is_a_concentration()
    {
        var plan = Enumerable.Repeat("free", 70).Concat(Enumerable.Repeat("pro", 20)).Concat(Enumerable.Repeat("team", 10)).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Labels("plan", plan).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Concentration);
        pattern.Strength.ShouldBe(0.7, 1e-12);
        pattern.Description.ShouldBe("plan: 'free' accounts for 70% of rows (70 of 100) among 3 values.");
        result.Recommendations.ShouldContain(r => r.Chart == new RecommendedChart("doughnut", "plan", null, "count", null));
    }

    [Fact]
    public void a_few_categories_covering_most_rows_among_many_is_a_concentration()
    {
        var city = Enumerable.Repeat("Oslo", 40).Concat(Enumerable.Repeat("Bergen", 25)).Concat(Enumerable.Repeat("Tromsø", 20))
            .Concat(Enumerable.Range(0, 15).Select(i => $"Town {i % 5}")).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Labels("city", city).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Concentration);
        pattern.Strength.ShouldBe(0.85, 1e-12);
        pattern.Description.ShouldBe("city: the top 3 of 8 values ('Oslo', 'Bergen', 'Tromsø') cover 85% of rows.");
    }

    [Fact]
    public void evenly_spread_categories_are_not_a_concentration()
    {
        var data = new DataSetBuilder().Labels("weekday", Enumerable.Range(0, 70).Select(i => ((DayOfWeek)(i % 7)).ToString())).Build();

        DataAnalyzer.Analyze(data, full: true).Patterns.ShouldNotContain(p => p.Type == PatternTypes.Concentration);
    }

    [Fact]
    public void a_total_made_mostly_of_a_few_large_values_is_a_concentration()
    {
        var amounts = Enumerable.Range(0, 100).Select(i => i >= 90 ? 1000.0 : 10).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("amount", amounts).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.Concentration);
        pattern.Strength.ShouldBe(10000.0 / 10900, 1e-12);
        pattern.Description.ShouldBe("The largest 10% of amount values (10 of 100 rows) make up 92% of its total 10,900.");
    }

    [Fact]
    public void a_column_with_one_value_is_flagged_as_useless_for_charts()
    {
        var data = new DataSetBuilder().Labels("country", Enumerable.Repeat("NO", 5)).Numeric("x", [1.0, 2, 3, 4, 5]).Build();

        DataAnalyzer.Analyze(data, full: true).Recommendations
            .ShouldContain(r => r.Text == "country holds the same value ('NO') in every row that has one; it adds nothing to a chart.");
    }

    [Fact]
    public void chart_recommendations_sum_measures_that_add_up_and_leave_codes_out()
    {
        var regions = Enumerable.Range(0, 60).Select(i => new[] { "north", "south", "east" }[i % 3]).ToList();
        var data = new DataSetBuilder()
            .Labels("region", regions)
            .Numeric("county_id", Enumerable.Range(0, 60).Select(i => 1000.0 + i * 7))
            .Numeric("orderCount", Enumerable.Range(0, 60).Select(i => (double)(i % 11)))
            .Numeric("rating", Enumerable.Range(0, 60).Select(i => 1 + i % 13 / 3.0))
            .Build();

        var charts = DataAnalyzer.Analyze(data, full: true).Recommendations.Where(r => r.Chart is not null).Select(r => r.Chart!).ToList();

        charts.ShouldContain(new RecommendedChart("bar", "region", "orderCount", "sum", null));
        charts.ShouldNotContain(c => c.XColumn == "county_id" || c.YColumn == "county_id");
    }
}
