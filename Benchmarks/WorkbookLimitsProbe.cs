using System.Diagnostics;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Errors;
using ChartCraft.Tests.Upload;

namespace ChartCraft.Benchmarks;

/// <summary>
/// What reading a crafted workbook costs, next to a normal one: <c>dotnet run -c Release --project Benchmarks -- workbook-limits</c>.
/// Each shape is read by <see cref="DataFileReader.Read"/> in a child process of its own, so that its peak working set
/// is its own; the child's GC heap is capped (DOTNET_GCHeapHardLimit) so that a shape that would exhaust memory fails
/// fast instead of taking the machine with it.
/// </summary>
public static class WorkbookLimitsProbe
{
    const string HeapLimitHex = "0x60000000"; // 1.5 GiB

    static readonly Dictionary<string, Action<string>> Shapes = new()
    {
        ["normal: 50 000-row report, 25 000 merged pairs"] = path => XlsxFiles.WriteGroupedReport(path, 50_000),
        ["mergeCell A1:CV30000"] = path => XlsxFiles.WriteSmallTable(path, merges: ["A1:CV30000"]),
        ["dimension A1:CV30000"] = path => XlsxFiles.WriteSmallTable(path, dimension: "A1:CV30000"),
        ["mergeCell A1:J10000"] = path => XlsxFiles.WriteSmallTable(path, merges: ["A1:J10000"]),
        ["dimension + mergeCell A1:XFD1048576"] = path => XlsxFiles.WriteSmallTable(path, "A1:XFD1048576", ["A1:XFD1048576"]),
        ["row r=1048576"] = path => XlsxFiles.WriteSmallTable(path, extraRows: """<row r="1048576"><c r="A1048576"><v>1</v></c></row>"""),
    };

    public static void Run(string[] args)
    {
        if (args.Length > 1)
        {
            MeasureOne(args[1]);
            return;
        }
        Console.WriteLine("| workbook | file | outcome | time | allocated | peak working set |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var shape in Shapes.Keys)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
            // Run as "dotnet x.dll" the host needs the assembly; run through the apphost it does not.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(WorkbookLimitsProbe).Assembly.Location);
            start.ArgumentList.Add(args[0]);
            start.ArgumentList.Add(shape);
            start.Environment["DOTNET_GCHeapHardLimit"] = HeapLimitHex;
            using var child = Process.Start(start)!;
            var output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            Console.WriteLine(output.Trim().Length > 0 ? output.Trim() : $"| {shape} | | exit {child.ExitCode}: {child.StandardError.ReadToEnd().Split('\n')[0]} | | | |");
        }
    }

    static void MeasureOne(string shape)
    {
        var path = Path.Combine(Path.GetTempPath(), $"chartcraft-bench-{Environment.ProcessId}.xlsx");
        Shapes[shape](path);
        var size = new FileInfo(path).Length;
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        string outcome;
        try
        {
            var parsed = DataFileReader.Read(path, "crafted.xlsx", null, DataFileLimits.Default);
            outcome = $"read: {parsed.Data.RowCount:N0} rows × {parsed.Data.Columns.Count} columns";
        }
        catch (ProblemException problem)
        {
            outcome = $"{problem.Status}: {problem.Detail}";
        }
        catch (OutOfMemoryException)
        {
            outcome = "out of memory (1.5 GiB heap cap)";
        }
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        File.Delete(path);
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"| {shape} | {size:N0} B | {outcome} | {clock.ElapsedMilliseconds:N0} ms | {allocated / 1048576.0:N1} MB | {self.PeakWorkingSet64 / 1048576.0:N0} MB |");
    }
}
