namespace ChartCraft.Features.Statistics;

/// <summary>A straight line y ≈ Intercept + Slope·x fitted by ordinary least squares, with its r and the number of points.</summary>
public readonly record struct LinearFit(double Slope, double Intercept, double R, int N)
{
    /// <summary>The share of the variance of y the line explains.</summary>
    public double RSquared => R * R;

    public double At(double x) => Intercept + Slope * x;

    /// <summary>The least-squares line of y on x over the points where y has a value (NaN = missing); NaN slope when x does not vary.</summary>
    public static LinearFit Of(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var sums = Sums.Of(x, y, bothPresent: false);
        if (sums.N < 2 || sums.Sxx <= 0) return new LinearFit(double.NaN, double.NaN, double.NaN, sums.N);
        var slope = sums.Sxy / sums.Sxx;
        return new LinearFit(slope, sums.MeanY - slope * sums.MeanX, sums.R, sums.N);
    }
}
