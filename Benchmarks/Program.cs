using BenchmarkDotNet.Running;

namespace ChartCraft.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project Benchmarks -- --filter '*' --job short</c>;
/// <c>-- workbook-limits</c> measures reading crafted workbooks instead (see <see cref="WorkbookLimitsProbe"/>);
/// <c>-- peers</c> times the CSV reader against DuckDB and pandas (see <see cref="Peers.PeerComparison"/>);
/// <c>-- write-sales-csv PATH</c> writes the generated sales file the reader benchmarks use;
/// <c>-- limiter-state</c> the rate limiter's memory across 100 000 clients (<see cref="LimiterStateProbe"/>).
/// </summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args)
    {
        if (args is ["workbook-limits", ..]) WorkbookLimitsProbe.Run(args);
        else if (args is ["limiter-state", ..]) LimiterStateProbe.RunAsync(args).GetAwaiter().GetResult();
        else if (args is ["render-cost", ..]) RenderCostProbe.RunAsync(args).GetAwaiter().GetResult();
        else if (args is ["peers", ..]) Peers.PeerComparison.Run(args);
        else if (args is ["peers-engine", ..]) Peers.PeerComparison.RunEngine(args);
        else if (args is ["read-split", ..]) Peers.ReadSplit.Run(args);
        else if (args is ["write-sales-csv", var path]) Console.WriteLine(SalesCsv.Write(path)); // the benchmarks' file, for other tools

        else BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }
}
