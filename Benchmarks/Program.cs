using BenchmarkDotNet.Running;

namespace ChartCraft.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project Benchmarks -- --filter '*' --job short</c>;
/// <c>-- workbook-limits</c> measures reading crafted workbooks instead (see <see cref="WorkbookLimitsProbe"/>),
/// <c>-- limiter-state</c> the rate limiter's memory across 100 000 clients (<see cref="LimiterStateProbe"/>).
/// </summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args is ["workbook-limits", ..]) WorkbookLimitsProbe.Run(args);
        else if (args is ["limiter-state", ..]) LimiterStateProbe.RunAsync(args).GetAwaiter().GetResult();
        else BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
