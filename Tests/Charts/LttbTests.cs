using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Tests.Charts;

public class LttbTests
{
    static double[] Wave(int n) => Enumerable.Range(0, n).Select(i => Math.Sin(i / 40.0) * 10 + Math.Sin(i / 3.0)).ToArray();

    [Theory]
    [InlineData(10_000, 500)]
    [InlineData(1_001, 1_000)]
    [InlineData(50, 3)]
    public void returns_exactly_the_requested_number_of_distinct_ascending_indices(int n, int threshold)
    {
        var kept = Lttb.Downsample(Wave(n), threshold);
        kept.Length.ShouldBe(threshold);
        kept.Distinct().Count().ShouldBe(threshold);
        kept.ShouldBe(kept.Order());
    }

    [Fact]
    public void keeps_the_first_and_last_points()
    {
        var kept = Lttb.Downsample(Wave(5_000), 100);
        kept[0].ShouldBe(0);
        kept[^1].ShouldBe(4_999);
    }

    [Fact]
    public void keeps_a_single_spike_and_a_single_dip()
    {
        var ys = Enumerable.Range(0, 10_000).Select(i => Math.Sin(i / 500.0)).ToArray();
        ys[3_217] = 50;
        ys[7_771] = -50;
        var kept = Lttb.Downsample(ys, 200);
        kept.ShouldContain(3_217);
        kept.ShouldContain(7_771);
        kept.Length.ShouldBe(200);
    }

    [Fact]
    public void keeps_the_global_extremes_even_when_the_triangle_rule_would_not()
    {
        // Random noise: plain LTTB picks by triangle area, which need not be the global max or min.
        var random = new Random(3);
        var ys = Enumerable.Range(0, 20_000).Select(_ => random.NextDouble()).ToArray();
        var kept = Lttb.Downsample(ys, 300);
        kept.ShouldContain(Array.IndexOf(ys, ys.Max()));
        kept.ShouldContain(Array.IndexOf(ys, ys.Min()));
        kept.Length.ShouldBe(300);
    }

    [Fact]
    public void with_three_points_keeps_the_one_farthest_from_the_line_through_the_ends()
    {
        double[] xs = [0, 1, 2, 3, 4];
        double[] ys = [0, 1, 5, 2, 0];
        // One middle bucket (indices 1..3); the triangle with (0,0) and (4,0) is largest at height 5.
        Lttb.Downsample(xs, ys, 3).ShouldBe([0, 2, 4]);
    }

    [Fact]
    public void a_series_no_longer_than_the_threshold_is_returned_whole()
    {
        Lttb.Downsample(Wave(20), 20).ShouldBe(Enumerable.Range(0, 20).ToArray());
        Lttb.Downsample(Wave(5), 100).ShouldBe(Enumerable.Range(0, 5).ToArray());
    }

    [Fact]
    public void uses_the_x_spacing_not_only_the_order()
    {
        // Same y values; which middle point lies farther from the line through the ends depends on the x positions.
        double[] ys = [0, 1, 1, 2];
        Lttb.Downsample([0, 1, 2, 10], ys, 3).ShouldBe([0, 1, 3]); // (1,1) is 0.8 above y = 0.2x, (2,1) only 0.6
        Lttb.Downsample([0, 8, 9, 10], ys, 3).ShouldBe([0, 2, 3]); // now (9,1) is 0.8 below it, (8,1) 0.6
    }
}

public class ScatterSamplerTests
{
    [Fact]
    public void samples_are_deterministic_bounded_and_keep_both_extremes_of_both_axes()
    {
        var random = new Random(11);
        var xs = Enumerable.Range(0, 30_000).Select(_ => random.NextDouble() * 100).ToArray();
        var ys = xs.Select(x => x * 2 + random.NextDouble() * 30).ToArray();

        var a = ScatterSampler.Sample(xs, ys, 2_000);
        var b = ScatterSampler.Sample(xs, ys, 2_000);
        a.ShouldBe(b);
        a.Length.ShouldBe(2_000);
        a.Distinct().Count().ShouldBe(2_000);
        a.ShouldContain(Array.IndexOf(xs, xs.Max()));
        a.ShouldContain(Array.IndexOf(xs, xs.Min()));
        a.ShouldContain(Array.IndexOf(ys, ys.Max()));
        a.ShouldContain(Array.IndexOf(ys, ys.Min()));
    }

    [Fact]
    public void a_uniform_sample_keeps_the_proportions_of_the_data()
    {
        // 80 % of the points are in the left half; the sample should be close to that.
        var xs = Enumerable.Range(0, 10_000).Select(i => i < 8_000 ? i % 50 : 50 + i % 50.0).ToArray();
        var ys = xs.Select(x => x).ToArray();
        var sample = ScatterSampler.Sample(xs, ys, 1_000);
        var left = sample.Count(i => xs[i] < 50) / 1000.0;
        left.ShouldBeInRange(0.76, 0.84);
    }

    [Fact]
    public void small_sets_are_kept_whole()
    {
        ScatterSampler.Sample([1, 2, 3], [3, 2, 1], 2_000).ShouldBe([0, 1, 2]);
    }
}
