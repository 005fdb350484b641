using System.Diagnostics;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Export.Rendering;

namespace ChartCraft.Benchmarks;

/// <summary>
/// What one render costs the processor, by kind: <c>dotnet run -c Release --project Benchmarks -- render-cost [renders]</c>.
/// One warm page renders each kind in turn; the CPU time of Chromium's whole process tree (from /proc) and of this
/// process is divided by the renders. Under load the processor, not the wall clock, is what renders compete for.
/// </summary>
public static class RenderCostProbe
{
    public static async Task RunAsync(string[] args)
    {
        var renders = args.Length > 1 ? int.Parse(args[1]) : 40;
        var options = new RenderingOptions { PoolSize = 1, Niceness = 0 };
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path) options.ChromiumPath = path;
        await using var renderer = new ChromiumRenderer(options);
        await renderer.WarmUpAsync();

        var chart = Monthly();
        var export = PlotlyFigureBuilder.Build(chart, new FigureOptions("Revenue by month", "Month", "Revenue"));
        var thumbnail = PlotlyFigureBuilder.Build(chart, new FigureOptions());
        var kinds = new (string Name, Func<Task> Render)[]
        {
            ("export PNG 800×600", () => renderer.RenderAsync(export, ImageFormat.Png, 800, 600, 1)),
            ("thumbnail PNG 400×250", () => renderer.RenderAsync(thumbnail, ImageFormat.Png, 400, 250, 1)),
            ("thumbnail SVG 400×250", () => renderer.RenderAsync(thumbnail, ImageFormat.Svg, 400, 250, 1)),
        };
        Console.WriteLine($"render cost, {renders} renders per kind on one warm page");
        Console.WriteLine("| kind | wall ms / render | Chromium CPU ms / render | app CPU ms / render |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, render) in kinds)
        {
            for (var i = 0; i < 5; i++) await render();
            var browserBefore = TreeCpuMs(renderer.Stats.BrowserProcessId!.Value);
            var appBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < renders; i++) await render();
            var wall = clock.Elapsed.TotalMilliseconds;
            var browser = TreeCpuMs(renderer.Stats.BrowserProcessId!.Value) - browserBefore;
            var app = Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds - appBefore;
            Console.WriteLine($"| {name} | {wall / renders:F1} | {browser / renders:F1} | {app / renders:F1} |");
        }
    }

    static AggregatedChart Monthly()
    {
        var starts = Enumerable.Range(0, 24).Select(i => new DateTime(2023, 1, 1).AddMonths(i)).ToList();
        var values = starts.Select((_, i) => (double?)(1000 + 37 * i + (i % 5) * 120)).ToList();
        return new AggregatedChart("line", "month", AxisKinds.Time, "month", starts.Select(d => d.ToString("MMM yyyy")).ToList(),
            starts, [new ChartSeries("revenue", values)], "revenue", "sum", "$");
    }

    /// <summary>User + system CPU of a process and all its descendants, in milliseconds (Linux /proc, 100 ticks a second).</summary>
    static double TreeCpuMs(int root)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            parents[pid] = int.Parse(fields[1]);
            ticks[pid] = long.Parse(fields[11]) + long.Parse(fields[12]);
        }
        bool InTree(int pid)
        {
            for (var p = pid; p > 1; p = parents.GetValueOrDefault(p))
                if (p == root) return true;
            return false;
        }
        return ticks.Where(t => InTree(t.Key)).Sum(t => t.Value) * 10.0;
    }
}
