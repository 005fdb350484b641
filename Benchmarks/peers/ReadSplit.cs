using System.Diagnostics;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Benchmarks.Peers;

/// <summary>Where a read's time goes: <c>-- read-split</c> times each stage of DataFileReader.Read on the generated file (median of 9, warm).</summary>
public static class ReadSplit
{
    static long CsvLoop(byte[] utf8, bool strings, bool trim)
    {
        var options = CsvHelper.CsvReaderOptions.Default with
        {
            HasHeader = false, Separator = null, TrimWhitespace = trim, AllowLineBreaksInQuotes = true, SkipEmptyLines = true,
            DetectSeparatorHint = true, MalformedData = CsvHelper.CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvHelper.CsvFieldCountHandling.Allow, MissingField = CsvHelper.CsvMissingFieldHandling.ReturnEmpty, PoolStrings = true,
        };
        long total = 0;
        using var reader = CsvHelper.CsvReader.Create(utf8, options);
        while (reader.Read())
            for (var i = 0; i < reader.FieldCount; i++)
                total += strings ? reader.GetString(i).Length : reader.GetSpan(i).Length;
        return total;
    }

    public static void Run(string[] args)
    {
        var path = SalesCsv.Write(Path.Combine(Path.GetTempPath(), $"chartcraft-split-{Environment.ProcessId}.csv"));
        var limits = DataFileLimits.ForMaxFileBytes(50 * 1024 * 1024);
        var stages = new Dictionary<string, List<double>>();
        var cpuStages = new Dictionary<string, List<double>>();
        using var process = Process.GetCurrentProcess();
        // Processor time (all threads) beside wall time: steadier when the shared machine is busy.
        void Time(string name, Action action)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            (stages.TryGetValue(name, out var list) ? list : stages[name] = []).Add(watch.Elapsed.TotalMilliseconds);
            process.Refresh();
            (cpuStages.TryGetValue(name, out var cpus) ? cpus : cpuStages[name] = []).Add((process.TotalProcessorTime - cpu).TotalMilliseconds);
        }
        for (var run = 0; run < 10; run++)
        {
            byte[] bytes = [];
            DecodedText text = null!;
            CsvTable csv = null!;
            Time("read bytes", () => bytes = File.ReadAllBytes(path));
            Time("decode", () => text = TextDecoder.Decode(bytes, "sales.csv"));
            Time("parse + shape", () => csv = CsvTableReader.Read(text.Utf8, 1000, new List<string>()));
            Time("infer (sequential)", () =>
            {
                for (var i = 0; i < csv.Table.Columns.Length; i++)
                {
                    var w = Stopwatch.StartNew();
                    TypeInference.InferColumn(csv.Table.Names[i], csv.Table.Columns[i]);
                    if (Environment.GetEnvironmentVariable("CC_TRACE") is not null) Console.Write($"{csv.Table.Names[i]} {w.Elapsed.TotalMilliseconds:0.0}  ");
                }
                if (Environment.GetEnvironmentVariable("CC_TRACE") is not null) Console.WriteLine();
            });
            Time("csvhelper spans only", () => CsvLoop(text.Utf8, false, true));
            Time("csvhelper strings", () => CsvLoop(text.Utf8, true, true));
            Time("csvhelper spans notrim", () => CsvLoop(text.Utf8, false, false));
            ParsedFile parsed = null!;
            Time("DataFileReader.Read", () => parsed = DataFileReader.Read(path, "sales.csv", null, limits));
            // What the upload does next, beside storing the file.
            Time("ColumnInfo.From all", () => parsed.Data.Columns.Select(ColumnInfo.From).ToList());
            Time("SuggestTypes", () => ChartCraft.Features.Charts.Recommendation.ChartRecommender.SuggestTypes(parsed.Data));
            if (run == 0) stages.Values.Concat(cpuStages.Values).ToList().ForEach(l => l.Clear()); // the first run is cold
        }
        Console.WriteLine($"{"stage",-22} {"wall",10} {"cpu",10}");
        foreach (var (name, list) in stages)
            Console.WriteLine($"{name,-22} {list.Order().ElementAt(list.Count / 2),7:0.0} ms {cpuStages[name].Order().ElementAt(list.Count / 2),7:0.0} ms");
        File.Delete(path);
    }
}
