using System.Diagnostics;
using System.Globalization;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using DuckDB.NET.Data;

namespace ChartCraft.Benchmarks.Peers;

/// <summary>
/// Parses the generated sales CSV with the project's reader, DuckDB and pandas on the same file in one run:
/// <c>dotnet run -c Release --project Benchmarks -- peers [--rows 200000] [--runs 9]</c>.
/// Each engine runs in a fresh process of its own, so its first read is the cold one (JIT, native library load,
/// pandas already imported) and the median of the following reads is the warm one; peak memory is the growth of
/// the process's peak resident set over what it held before the first read, measured after that read (one read's
/// worth, result included: later reads only show how lazily each runtime returns memory).
/// </summary>
public static class PeerComparison
{
    const string PandasScript = """
        import sys, time, resource, statistics
        import pandas
        def rss_kib():
            with open('/proc/self/statm') as f: return int(f.read().split()[1]) * resource.getpagesize() // 1024
        path, runs = sys.argv[1], int(sys.argv[2])
        base = rss_kib()
        times, cpu = [], []
        for _ in range(runs + 1):
            t, c = time.perf_counter(), time.process_time()
            df = pandas.read_csv(path)
            times.append((time.perf_counter() - t) * 1000); cpu.append((time.process_time() - c) * 1000)
            if len(times) == 1: peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            del df
        print(f"{times[0]:.1f} {statistics.median(times[1:]):.1f} {(peak - base) / 1024:.1f} {statistics.median(cpu[1:]):.1f}")
        """;

    public static void Run(string[] args)
    {
        var rows = Option(args, "--rows", 200_000);
        var runs = Option(args, "--runs", 9);
        var path = SalesCsv.Write(Path.Combine(Path.GetTempPath(), $"chartcraft-peers-{Environment.ProcessId}.csv"), rows);
        try
        {
            var size = new FileInfo(path).Length;
            Console.WriteLine($"file: {size / 1e6:0.0} MB ({size / 1024.0 / 1024:0.0} MiB), {rows:N0} rows; {runs} warm runs each, {Environment.ProcessorCount} cores");
            var results = new List<(string Name, Measure M)>();
            // Started as the apphost or as `dotnet ChartCraft.Benchmarks.dll`: the child is started the same way.
            var host = Environment.ProcessPath!;
            string[] self = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(PeerComparison).Assembly.Location] : [];
            foreach (var engine in new[] { "project", "duckdb" })
                if (Child(host, [.. self, "peers-engine", engine, path, runs.ToString(CultureInfo.InvariantCulture)]) is { } m)
                    results.Add((engine == "project" ? "ChartCraft DataFileReader.Read" : "DuckDB read_csv_auto → table", m));
            if (PandasAvailable() && Child(Python, ["-c", PandasScript, path, runs.ToString(CultureInfo.InvariantCulture)]) is { } pandas)
                results.Add(("pandas.read_csv", pandas));
            else Console.WriteLine("pandas: not importable (apt-get install -y python3-pandas), skipped");

            Console.WriteLine();
            Console.WriteLine($"{"engine",-34} {"warm median",12} {"cold (1st)",12} {"peak memory",12} {"warm CPU",10}");
            foreach (var (name, m) in results)
                Console.WriteLine($"{name,-34} {m.WarmMs,9:0} ms {m.ColdMs,9:0} ms {m.PeakMiB,8:0} MiB {m.CpuMs,7:0} ms");
            if (results.Count == 0) return;
            var project = results[0].M;
            Console.WriteLine();
            foreach (var (name, m) in results.Skip(1))
                Console.WriteLine($"project / {name}: warm ×{project.WarmMs / m.WarmMs:0.00}, cold ×{project.ColdMs / m.ColdMs:0.00}, " +
                                  $"peak memory ×{project.PeakMiB / m.PeakMiB:0.00}, warm CPU ×{project.CpuMs / m.CpuMs:0.00}  (< 1 = project faster / smaller)");
            if (File.Exists("/proc/loadavg"))
                Console.WriteLine($"load average while measuring: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} ({Environment.ProcessorCount} cores)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The child side: times one engine and prints "cold warm-median peak-MiB cpu-median" (plus detail lines starting with '#').</summary>
    public static void RunEngine(string[] args)
    {
        var (engine, path, runs) = (args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        using var process = Process.GetCurrentProcess();
        var baseline = process.WorkingSet64;
        var times = new List<double>();
        var cpu = new List<double>();
        long peak = 0;
        void NotePeak()
        {
            process.Refresh();
            if (peak == 0) peak = process.PeakWorkingSet64 - baseline;
        }
        if (engine == "project")
        {
            var limits = DataFileLimits.ForMaxFileBytes(50 * 1024 * 1024);
            long allocated = 0;
            DataSet? kept = null;
            for (var i = 0; i <= runs; i++)
            {
                kept = null;
                var before = GC.GetTotalAllocatedBytes(true);
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                kept = DataFileReader.Read(path, "sales.csv", null, limits).Data;
                times.Add(watch.Elapsed.TotalMilliseconds);
                NotePeak();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                allocated = GC.GetTotalAllocatedBytes(true) - before;
            }
            // What a data set costs once read: the heap it keeps alive, against the file's size.
            kept = null;
            var empty = GC.GetTotalMemory(true);
            kept = DataFileReader.Read(path, "sales.csv", null, limits).Data;
            var held = GC.GetTotalMemory(true) - empty;
            var size = new FileInfo(path).Length;
            Console.WriteLine($"# project: {allocated / 1048576.0:0} MiB allocated per read; data set holds {held / 1048576.0:0.0} MiB " +
                              $"(×{(double)held / size:0.00} the file), EstimatedBytes {kept.EstimatedBytes / 1048576.0:0.0} MiB (×{(double)kept.EstimatedBytes / size:0.00})");
            GC.KeepAlive(kept);
        }
        else
        {
            var watch = Stopwatch.StartNew();
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            using var command = connection.CreateCommand();
            for (var i = 0; i <= runs; i++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                if (i > 0) watch.Restart();
                command.CommandText = $"CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv_auto('{path.Replace("'", "''")}')";
                command.ExecuteNonQuery();
                times.Add(watch.Elapsed.TotalMilliseconds);
                NotePeak();
                cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
        }
        var median = times.Skip(1).Order().ElementAt(runs / 2);
        var cpuMedian = cpu.Skip(1).Order().ElementAt(runs / 2);
        Console.WriteLine(FormattableString.Invariant($"{times[0]:0.0} {median:0.0} {peak / 1048576.0:0.0} {cpuMedian:0.0}"));
    }

    /// <param name="CpuMs">Processor time of a warm read, all threads: steadier than wall time on a busy shared machine.</param>
    sealed record Measure(double ColdMs, double WarmMs, double PeakMiB, double CpuMs);

    static Measure? Child(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var child = Process.Start(info)!;
        var output = child.StandardOutput.ReadToEnd();
        var error = child.StandardError.ReadToEnd();
        child.WaitForExit();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var detail in lines.Where(l => l.StartsWith('#'))) Console.WriteLine(detail);
        var last = lines.LastOrDefault(l => !l.StartsWith('#'));
        if (child.ExitCode != 0 || last is null)
        {
            Console.WriteLine($"{Path.GetFileName(file)} {string.Join(' ', arguments.Where(a => a.Length < 40))} failed ({child.ExitCode}): {error.Trim()}");
            return null;
        }
        var parts = last.Split(' ').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return new Measure(parts[0], parts[1], parts[2], parts[3]);
    }

    /// <summary>Debian's interpreter, where python3-pandas installs, ahead of whatever python3 comes first on PATH (pyenv).</summary>
    static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    static bool PandasAvailable()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(Python, "-c \"import pandas\"") { RedirectStandardError = true, UseShellExecute = false })!;
            probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no python3 at all
        }
    }

    static int Option(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
