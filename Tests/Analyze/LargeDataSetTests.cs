using ChartCraft.Features.Analyze;
using ChartCraft.Features.Upload;
using ChartCraft.Tests.Statistics;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

/// <summary>Results on a data set of the size the speed target names (200k rows × 6 columns); timing is for benchmarks.</summary>
public class LargeDataSetTests
{
    private const int Rows = 200_000;

    [Fact]
    public void a_200k_row_six_column_data_set_gets_reference_statistics_and_its_patterns()
    {
        var random = new Random(77);
        var start = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var load = Enumerable.Range(0, Rows).Select(i => random.NextDouble() < 0.01 ? (double?)null : 500 + i * 0.002 + 20 * Reference.Normal(random)).ToArray();
        var temperature = Enumerable.Range(0, Rows).Select(i => 10 + 8 * Math.Sin(2 * Math.PI * (i % 24) / 24) + Reference.Normal(random)).ToArray();
        var price = Enumerable.Range(0, Rows).Select(_ => Math.Exp(2 + Reference.Normal(random))).ToArray();
        var data = new DataSetBuilder()
            .Dates("time", Enumerable.Range(0, Rows).Select(i => start.AddHours(i)))
            .Numeric("load", load)
            .Numeric("temperature", temperature)
            .Numeric("price", price)
            .Labels("zone", Enumerable.Range(0, Rows).Select(_ => "zone " + random.Next(12)))
            .Labels("reading_id", Enumerable.Range(0, Rows).Select(i => "r" + i), ColumnTypes.Id)
            .Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        var presentLoad = load.Where(v => v is not null).Select(v => v!.Value).ToList();
        var s = (NumericStatistics)result.Statistics["load"];
        s.Count.ShouldBe(presentLoad.Count);
        s.Mean!.Value.ShouldBe(presentLoad.Average(), 1e-9);
        s.Median!.Value.ShouldBe(Reference.Percentile(presentLoad, 0.5), 1e-9);
        s.Std!.Value.ShouldBe(Reference.SampleStd(presentLoad), 1e-9);
        ((NumericStatistics)result.Statistics["price"]).Skew!.Value.ShouldBe(Reference.Skew(price), 1e-6);
        ((IdStatistics)result.Statistics["reading_id"]).DuplicateCount.ShouldBe(0);
        ((CategoricalStatistics)result.Statistics["zone"]).UniqueCount.ShouldBe(12);
        ((DatetimeStatistics)result.Statistics["time"]).Frequency.ShouldBe("hourly");

        result.Patterns.ShouldContain(p => p.Type == PatternTypes.Trend && p.Columns[0] == "load");
        result.Patterns.ShouldContain(p => p.Type == PatternTypes.Seasonality && p.Columns[0] == "temperature" && p.Metrics["lag"] == 24);
        result.Patterns.ShouldContain(p => p.Type == PatternTypes.Skew && p.Columns[0] == "price");
        result.Patterns.ShouldNotContain(p => p.Type == PatternTypes.Correlation);
        result.Recommendations.ShouldContain(r => r.Chart != null && r.Chart.ChartType == "line" && r.Chart.YColumn == "load" && r.Chart.TimeUnit == "month");
    }
}
