namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>
/// Picks a fixed-size, reproducible sample of scatter points: the same data always gives the same chart,
/// and the points at the extremes of x and y are always in it, so the axes keep the data's real range.
/// </summary>
public static class ScatterSampler
{
    /// <summary>Fixed so that a chart regenerated from the same data is identical.</summary>
    public const int Seed = 20240229;

    /// <summary>Indices (ascending) of at most <paramref name="max"/> points.</summary>
    public static int[] Sample(IReadOnlyList<double> xs, IReadOnlyList<double> ys, int max)
    {
        var n = xs.Count;
        if (n <= max) return Enumerable.Range(0, n).ToArray();

        var chosen = new HashSet<int>();
        foreach (var extreme in Extremes(xs).Concat(Extremes(ys)))
            if (chosen.Count < max) chosen.Add(extreme);

        // Partial Fisher–Yates over all indices with a seeded generator: a uniform sample, so dense regions stay dense.
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(Seed);
        for (var i = 0; i < n && chosen.Count < max; i++)
        {
            var j = random.Next(i, n);
            (order[i], order[j]) = (order[j], order[i]);
            chosen.Add(order[i]);
        }
        var result = chosen.ToArray();
        Array.Sort(result);
        return result;
    }

    static IEnumerable<int> Extremes(IReadOnlyList<double> values)
    {
        int min = 0, max = 0;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i] < values[min]) min = i;
            if (values[i] > values[max]) max = i;
        }
        yield return min;
        yield return max;
    }
}
