using ChartCraft.Features.Analyze;
using ChartCraft.Features.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class MissingDataTests
{
    private static readonly DateTime January2024 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void missing_values_clustered_in_one_month_are_reported_with_that_month()
    {
        var days = DataSetBuilder.Days(January2024, 182).ToList();
        var marchDays = days.Select((d, i) => (d, i)).Where(p => p.d.Month == 3 && p.d.Day <= 12).Select(p => p.i).ToHashSet();
        var revenue = days.Select((d, i) => marchDays.Contains(i) ? (double?)null : 1000 + i).ToList();
        var data = new DataSetBuilder().Dates("date", days).Numeric("revenue", revenue).Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.MissingData);
        pattern.Columns.ShouldBe(["revenue"]);
        pattern.Metrics["missing"].ShouldBe(12);
        pattern.Metrics["missing_in_cluster"].ShouldBe(12);
        pattern.Metrics["rows_in_cluster"].ShouldBe(31);
        pattern.Strength.ShouldBe(1 - 31.0 / 182, 1e-12);
        pattern.Description.ShouldBe("revenue is missing in 12 rows (6.6%); 12 of them (100%) are in March 2024, which holds 17% of rows.");
        result.Recommendations.ShouldContain(r => r.Type == RecommendationTypes.Cleaning && r.Columns.SequenceEqual(new[] { "revenue" }) &&
            r.Text == "Column revenue has 12 missing values in March 2024; check the source data there before charting it.");
    }

    [Fact]
    public void missing_values_spanning_consecutive_months_name_the_first_and_last_month()
    {
        var days = DataSetBuilder.Days(January2024, 366).ToList();
        var cost = days.Select((d, i) => d.Month is 4 or 5 && d.Day % 2 == 0 ? (double?)null : i).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Dates("date", days).Numeric("cost", cost).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.MissingData);
        pattern.Description.ShouldContain("are between April 2024 and May 2024");
    }

    [Fact]
    public void missing_values_clustered_in_a_category_are_reported_with_that_category()
    {
        var regions = Enumerable.Range(0, 200).Select(i => new[] { "North", "South", "East", "West", "Central" }[i % 5]).ToList();
        var random = new Random(2);
        // 18 of the 40 West rows lack a value, and 2 rows elsewhere.
        var westRows = regions.Select((r, i) => (r, i)).Where(p => p.r == "West").Select(p => p.i).Take(18).ToHashSet();
        var sales = regions.Select((r, i) => westRows.Contains(i) || i is 0 or 1 ? (double?)null : random.Next(10, 100)).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Labels("region", regions).Numeric("sales", sales).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.MissingData);
        pattern.Description.ShouldBe("sales is missing in 20 rows (10%); 18 of them (90%) are where region is 'West', which holds 20% of rows.");
        pattern.Strength.ShouldBe(0.9 * 0.8, 1e-12);
        result.Recommendations.ShouldContain(r =>
            r.Text == "Column sales has 18 missing values where region is 'West' (of 20 in total); check the source data there before charting it.");
    }

    [Fact]
    public void missing_values_in_a_block_of_rows_are_reported_with_the_row_range()
    {
        var values = Enumerable.Range(0, 1000).Select(i => i is >= 100 and < 120 ? (double?)null : i % 17).ToList();

        var result = DataAnalyzer.Analyze(new DataSetBuilder().Numeric("reading", values).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.MissingData);
        // 80% of the 20 missing cells are the 16 in rows 100–115.
        pattern.Description.ShouldBe("reading is missing in 20 rows (2%); 16 of them (80%) are in rows 100–115, which holds 1.6% of rows.");
    }

    [Fact]
    public void missing_values_spread_at_random_are_not_called_clustered()
    {
        var random = new Random(4);
        var days = DataSetBuilder.Days(January2024, 365).ToList();
        var regions = days.Select((_, i) => i % 2 == 0 ? "a" : "b").ToList();
        var amount = days.Select(_ => random.NextDouble() < 0.2 ? (double?)null : random.Next(100)).ToList();
        var missing = amount.Count(a => a is null);

        var result = DataAnalyzer.Analyze(
            new DataSetBuilder().Dates("date", days).Labels("region", regions).Numeric("amount", amount).Build(), full: true);

        var pattern = result.Patterns.Single(p => p.Type == PatternTypes.MissingData);
        pattern.Description.ShouldBe($"amount is missing in {missing} rows ({Readable.Share(missing / 365.0)}), spread across the data.");
        pattern.Strength.ShouldBe(missing / 365.0, 1e-12);
        result.Recommendations.ShouldContain(r => r.Text == $"Column amount has {missing} missing values ({Readable.Share(missing / 365.0)}); exclude or fill them before aggregating.");
    }

    [Fact]
    public void a_column_without_any_value_is_recommended_for_dropping()
    {
        var data = new DataSetBuilder().Numeric("x", [1.0, 2, 3]).Labels("notes", [null, null, null]).Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        result.Patterns.ShouldContain(new Pattern(PatternTypes.MissingData, ["notes"], "notes has no values in any of the 3 rows.", 1,
            new Dictionary<string, double> { ["missing"] = 3, ["share"] = 1 }), new PatternComparer());
        result.Recommendations[0].Text.ShouldBe("Drop column notes: it has no values.");
    }

    /// <summary>Records compare their dictionaries by reference; patterns are equal when their contents are.</summary>
    private sealed class PatternComparer : IEqualityComparer<Pattern>
    {
        public bool Equals(Pattern? a, Pattern? b) =>
            a is not null && b is not null && a.Type == b.Type && a.Columns.SequenceEqual(b.Columns) && a.Description == b.Description &&
            a.Strength == b.Strength && a.Metrics.OrderBy(m => m.Key).SequenceEqual(b.Metrics.OrderBy(m => m.Key));

        public int GetHashCode(Pattern p) => p.Type.GetHashCode();
    }
}
