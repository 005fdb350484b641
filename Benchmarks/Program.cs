using BenchmarkDotNet.Running;

namespace ChartCraft.Benchmarks;

/// <summary>Runs the benchmarks: <c>dotnet run -c Release --project Benchmarks -- --filter '*' --job short</c>.</summary>
public static class BenchmarkProgram
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
}
