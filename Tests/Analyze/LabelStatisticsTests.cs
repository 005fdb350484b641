using ChartCraft.Features.Analyze;
using ChartCraft.Features.Upload;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class LabelStatisticsTests
{
    [Fact]
    public void categorical_top_values_are_counted_with_shares_most_frequent_first()
    {
        var data = new DataSetBuilder().Labels("colour", ["b", "a", "b", "c", null, "b", "a"]).Build();

        var s = (CategoricalStatistics)DataAnalyzer.Analyze(data, full: false).Statistics["colour"];

        s.Count.ShouldBe(6);
        s.Missing.ShouldBe(1);
        s.UniqueCount.ShouldBe(3);
        s.TopValues.ShouldBe([new ValueCount("b", 3, 0.5), new ValueCount("a", 2, 2.0 / 6), new ValueCount("c", 1, 1.0 / 6)]);
    }

    [Fact]
    public void top_values_keep_the_ten_most_frequent_with_ties_in_value_order()
    {
        // Value k appears k times for k = 1..15, plus three labels seen 15 times to tie with the top.
        string[] cells = Enumerable.Range(1, 15).SelectMany(k => Enumerable.Repeat($"v{k:00}", k))
            .Concat(new[] { "z", "y", "x" }.SelectMany(v => Enumerable.Repeat(v, 15)))
            .ToArray();
        var data = new DataSetBuilder().Labels("label", cells).Build();

        var s = (CategoricalStatistics)DataAnalyzer.Analyze(data, full: false).Statistics["label"];

        s.UniqueCount.ShouldBe(18);
        s.TopValues.Select(v => v.Value).ShouldBe(["v15", "x", "y", "z", "v14", "v13", "v12", "v11", "v10", "v09"]);
        s.TopValues.Select(v => v.Count).ShouldBe([15, 15, 15, 15, 14, 13, 12, 11, 10, 9]);
        s.TopValues.Sum(v => v.Share).ShouldBe((15 * 4 + 14 + 13 + 12 + 11 + 10 + 9) / (double)cells.Length, 1e-12);
    }

    [Fact]
    public void id_columns_count_duplicated_values()
    {
        var data = new DataSetBuilder().Labels("order_id", ["A1", "A2", "A2", "A3", "A3", "A3"], ColumnTypes.Id).Build();

        var result = DataAnalyzer.Analyze(data, full: true);

        var s = (IdStatistics)result.Statistics["order_id"];
        s.UniqueCount.ShouldBe(3);
        s.DuplicateCount.ShouldBe(3);
        s.TopValues[0].ShouldBe(new ValueCount("A3", 3, 0.5));
        result.Recommendations.ShouldContain(r =>
            r.Text == "order_id looks like an identifier but repeats 3 times ('A3' appears 3 times); check for duplicated rows.");
    }

    [Fact]
    public void text_columns_report_their_lengths()
    {
        var data = new DataSetBuilder().Labels("comment", ["good", "very good indeed", null, "ok"], ColumnTypes.Text).Build();

        var s = (TextStatistics)DataAnalyzer.Analyze(data, full: false).Statistics["comment"];

        s.MeanLength.ShouldBe((4 + 16 + 2) / 3.0);
        s.MaxLength.ShouldBe(16);
        s.Missing.ShouldBe(1);
    }

    [Fact]
    public void boolean_columns_count_true_and_false()
    {
        var data = new DataSetBuilder().Booleans("active", [true, false, true, null, true]).Build();

        var s = (BooleanStatistics)DataAnalyzer.Analyze(data, full: false).Statistics["active"];

        s.TrueCount.ShouldBe(3);
        s.FalseCount.ShouldBe(1);
        s.TrueShare.ShouldBe(0.75);
        s.Missing.ShouldBe(1);
        s.UniqueCount.ShouldBe(2);
    }

    [Fact]
    public void columns_with_the_same_name_keep_separate_statistics()
    {
        var data = new DataSetBuilder().Numeric("value", [1.0, 2.0]).Numeric("value", [10.0, 20.0]).Build();

        var result = DataAnalyzer.Analyze(data, full: false);

        result.Statistics.Keys.ShouldBe(["value", "value (2)"]);
        ((NumericStatistics)result.Statistics["value (2)"]).Mean.ShouldBe(15);
    }
}
