using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.Insights;

namespace ChartCraft.Tests.Charts.Insights;

public class NumberGroundingTests
{
    static InsightFact Fact(params (string Name, double Value)[] figures) => new(
        InsightKinds.Change, "test", figures[0].Value, figures.ToDictionary(f => f.Name, f => f.Value), ["Q1 2024", "Q4 2024"], null, 1);

    [Fact]
    public void numbers_are_read_with_separators_units_magnitudes_signs_and_percent()
    {
        var mentions = NumberGrounding.Extract("Revenue of $1,234.5 grew 25% to $1.2M (-3.2 points), 1.5k users, 2 billion views, Q1 2024, 2024-01-15.");

        mentions.Select(m => m.Value).ShouldBe([1234.5, 25, 1_200_000, -3.2, 1_500, 2e9, 1, 2024, 2024, 1, 15]);
        mentions[1].IsPercent.ShouldBeTrue();
        mentions[0].Tolerance.ShouldBe(0.05, 1e-12);
        mentions[2].Tolerance.ShouldBe(50_000, 1e-6);
    }

    [Fact]
    public void a_figure_may_be_written_rounded_to_the_digits_shown()
    {
        var facts = new[] { Fact(("change_percent", 24.87), ("last", 1_234_567)) };

        NumberGrounding.Check("Revenue grew 24.9%.", facts).IsGrounded.ShouldBeTrue();
        NumberGrounding.Check("Revenue grew 25%.", facts).IsGrounded.ShouldBeTrue();
        NumberGrounding.Check("Revenue grew 24.87%.", facts).IsGrounded.ShouldBeTrue();
        NumberGrounding.Check("It reached $1.23M, about $1.2 million or 1,234,567.", facts).IsGrounded.ShouldBeTrue();
        NumberGrounding.Check("It reached $1,200,000.", facts).IsGrounded.ShouldBeTrue();
    }

    [Fact]
    public void an_invented_number_is_rejected()
    {
        var facts = new[] { Fact(("change_percent", 24.87), ("first", 1_000), ("last", 1_250)) };

        var report = NumberGrounding.Check("Revenue grew 24.8% to $1,250 and will reach $1,500 next year.", facts);

        report.IsGrounded.ShouldBeFalse();
        report.Ungrounded.Select(m => m.Text).ShouldBe(["24.8%", "$1,500"]);
    }

    [Fact]
    public void years_and_small_counts_pass_only_when_a_label_or_figure_has_them()
    {
        var facts = new[] { Fact(("change_percent", 25)) };

        NumberGrounding.Check("Revenue grew 25% from Q1 2024 to Q4 2024.", facts).IsGrounded.ShouldBeTrue();
        NumberGrounding.Check("Revenue grew 25% since 2019.", facts).IsGrounded.ShouldBeFalse();
        NumberGrounding.Check("Revenue grew 25% since 2019.", facts, ["2019"]).IsGrounded.ShouldBeTrue();
        NumberGrounding.Check("The top 3 regions lead.", facts).IsGrounded.ShouldBeFalse();
        NumberGrounding.Check("The top 3 regions lead.", [Fact(("share_percent", 78.5), ("top_n", 3))]).IsGrounded.ShouldBeTrue();
    }

    [Fact]
    public void a_ratio_may_be_written_as_a_percentage_and_r_squared_is_not_a_number()
    {
        var facts = new[] { Fact(("r_squared", 0.7634)) };

        NumberGrounding.Check("The fit explains 76% of the variation (R^2 = 0.76).", facts).IsGrounded.ShouldBeTrue();
    }

    /// <summary>Charts of every axis kind, unit and magnitude, with gaps, negatives and several series.</summary>
    public static IEnumerable<object[]> VariedCharts()
    {
        yield return [SampleCharts.Quarterly("$", 1000, 1100, 1050, 1250)];
        yield return [SampleCharts.Yearly("sales", "sum", "$", 2019, 100, 120, 130, 150, 170, 200)];
        yield return [SampleCharts.Yearly("unemployment_rate", "mean", "%", 2020, 5.0, 6.2, 5.8, 7.1)];
        yield return [SampleCharts.Categories("pie", "region", "revenue", "sum", "€", ("North", 5_400), ("South", 2_250), ("East", 1_200), ("West", 700), ("Central", 450), ("Isles", 12), ("Other", 3))];
        yield return [SampleCharts.Monthly("visitors", null, Enumerable.Range(0, 48).Select(i => (double?)(500 + 80 * Math.Sin(2 * Math.PI * i / 12) + 2 * i)).ToList())];
        yield return [SampleCharts.Quarterly("$", 100, 110, 120, 130) with { Series = [new ChartSeries("2023", [1_000, 1_100, 1_200, 1_400]), new ChartSeries("2024", [800, null, 810, 840])] }];
        for (var seed = 1; seed <= 40; seed++) yield return [Random(seed)];
    }

    [Theory]
    [MemberData(nameof(VariedCharts))]
    public void every_number_in_the_statistical_text_is_grounded_in_its_own_facts(AggregatedChart chart)
    {
        var facts = StatisticalInsights.FindFacts(chart);
        var insights = InsightWriter.Write(chart, facts);

        var texts = insights.Insights.Prepend(insights.Headline).Concat(insights.Recommendations).Concat(facts.Select(f => f.Text)).ToList();
        foreach (var text in texts)
        {
            var report = NumberGrounding.Check(text, facts, [chart.Measure, chart.XColumn]);
            report.Ungrounded.ShouldBeEmpty($"in \"{text}\"");
            text.ShouldNotContain("NaN");
            text.ShouldNotContain("n/a");
            text.ShouldNotContain("Infinity");
        }
        if (facts.Count >= 3) insights.Insights.Count.ShouldBeInRange(3, 5);
    }

    static AggregatedChart Random(int seed)
    {
        var random = new Random(seed);
        var scale = Math.Pow(10, random.Next(-3, 10));
        string?[] units = [null, "$", "%", "kg", "£"];
        var unit = units[random.Next(units.Length)];
        double Draw() => Math.Round((random.NextDouble() * 2 - (random.Next(4) == 0 ? 1 : 0)) * scale, 3);

        switch (seed % 4)
        {
            case 0:
                var points = Enumerable.Range(0, random.Next(2, 120)).Select(_ => (X: Draw(), Y: Draw())).ToList();
                return SampleCharts.Scatter("x_value", "y_value", points, unit);
            case 1:
                var n = random.Next(1, 40);
                var categories = Enumerable.Range(0, n).Select(i => ($"Item {i + 1}", random.Next(8) == 0 ? null : (double?)Math.Abs(Draw()))).ToArray();
                return SampleCharts.Categories(random.Next(2) == 0 ? "bar" : "pie", "product", "amount", random.Next(2) == 0 ? "sum" : "mean", unit, categories);
            default:
                var months = random.Next(1, 60);
                var series = Enumerable.Range(0, random.Next(1, 4)).Select(s => new ChartSeries($"Series {s}",
                    Enumerable.Range(0, months).Select(i => random.Next(10) == 0 ? null : (double?)(Draw() + scale * Math.Sin(i / 2.0))).ToList())).ToList();
                var chart = SampleCharts.Monthly("amount", unit, series[0].Values, new DateTime(2018, 1, 1), aggregation: random.Next(2) == 0 ? "sum" : "mean");
                return chart with { Series = series };
        }
    }
}
