namespace ChartCraft.Features.Charts.Aggregation;

/// <summary>
/// Largest-Triangle-Three-Buckets down-sampling (Steinarsson 2013): keeps the points that carry a line's
/// visible shape, so a 50 000-point series drawn with 1 000 points still shows its peaks and turns.
/// </summary>
public static class Lttb
{
    /// <summary>
    /// Indices (ascending) of exactly <paramref name="threshold"/> points of the series, or of all points when it
    /// has no more than that. The first and last points are always kept, and so are the global minimum and
    /// maximum of y: plain LTTB usually keeps them, and a chart that lost its peak would mislead.
    /// </summary>
    public static int[] Downsample(IReadOnlyList<double> xs, IReadOnlyList<double> ys, int threshold)
    {
        if (xs.Count != ys.Count) throw new ArgumentException("x and y differ in length");
        var n = xs.Count;
        if (threshold >= n || n <= 2) return Enumerable.Range(0, n).ToArray();
        if (threshold < 3) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "keep at least 3 points");

        var kept = new int[threshold];
        kept[0] = 0;
        var bucketSize = (double)(n - 2) / (threshold - 2);
        var a = 0;
        for (var i = 0; i < threshold - 2; i++)
        {
            var start = (int)Math.Floor(i * bucketSize) + 1;
            var end = (int)Math.Floor((i + 1) * bucketSize) + 1;
            // The next bucket's average is the third corner of the triangle; the last bucket looks at the last point.
            var nextStart = end;
            var nextEnd = Math.Min((int)Math.Floor((i + 2) * bucketSize) + 1, n);
            if (i == threshold - 3) (nextStart, nextEnd) = (n - 1, n);
            a = kept[i + 1] = LargestTriangle(xs, ys, a, start, end, nextStart, nextEnd);
        }
        kept[threshold - 1] = n - 1;

        var pinned = new bool[threshold];
        KeepExtreme(ArgExtreme(ys, max: true));
        KeepExtreme(ArgExtreme(ys, max: false));
        Array.Sort(kept);
        return kept;

        void KeepExtreme(int index)
        {
            if (index == 0 || index == n - 1) return;
            var existing = Array.IndexOf(kept, index);
            if (existing >= 0)
            {
                pinned[existing] = true;
                return;
            }
            var bucket = 0;
            while (bucket < threshold - 3 && index >= (int)Math.Floor((bucket + 1) * bucketSize) + 1) bucket++;
            var slot = bucket + 1;
            // Both extremes in one bucket: the second takes a neighbouring bucket's slot.
            if (pinned[slot]) slot = slot + 1 < threshold - 1 && !pinned[slot + 1] ? slot + 1 : slot - 1;
            if (slot < 1 || pinned[slot]) return; // threshold 3 has room for one of them only
            kept[slot] = index;
            pinned[slot] = true;
        }
    }

    /// <summary>Down-samples a series whose x are its positions (0, 1, 2...).</summary>
    public static int[] Downsample(IReadOnlyList<double> ys, int threshold) =>
        Downsample(Enumerable.Range(0, ys.Count).Select(i => (double)i).ToArray(), ys, threshold);

    /// <summary>
    /// The point of bucket [start, end) that makes the largest triangle with the last kept point <paramref name="a"/> and
    /// the average of the next bucket [nextStart, nextEnd).
    /// </summary>
    static int LargestTriangle(IReadOnlyList<double> xs, IReadOnlyList<double> ys, int a, int start, int end, int nextStart, int nextEnd)
    {
        double avgX = 0, avgY = 0;
        for (var j = nextStart; j < nextEnd; j++)
        {
            avgX += xs[j];
            avgY += ys[j];
        }
        var span = nextEnd - nextStart;
        avgX /= span;
        avgY /= span;

        var best = start;
        var bestArea = -1.0;
        for (var j = start; j < end; j++)
        {
            var area = Math.Abs((xs[a] - avgX) * (ys[j] - ys[a]) - (xs[a] - xs[j]) * (avgY - ys[a]));
            if (area > bestArea)
            {
                bestArea = area;
                best = j;
            }
        }
        return best;
    }

    static int ArgExtreme(IReadOnlyList<double> ys, bool max)
    {
        var best = 0;
        for (var i = 1; i < ys.Count; i++)
            if (max ? ys[i] > ys[best] : ys[i] < ys[best]) best = i;
        return best;
    }
}
