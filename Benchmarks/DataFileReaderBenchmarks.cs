using BenchmarkDotNet.Attributes;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Benchmarks;

/// <summary>Reading and typing a ≈ 10 MB, 200k-row × 6-column CSV: the whole upload path, and its two halves.</summary>
[MemoryDiagnoser]
public class DataFileReaderBenchmarks
{
    // The generated file is a little over 10 MiB, the default upload limit.
    static readonly DataFileLimits Limits = DataFileLimits.ForMaxFileBytes(50 * 1024 * 1024);

    string _path = "";
    byte[] _utf8 = [];
    RawTable _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = SalesCsv.Write(Path.Combine(Path.GetTempPath(), $"chartcraft-bench-{Environment.ProcessId}.csv"));
        _utf8 = File.ReadAllBytes(_path);
        _table = CsvTableReader.Read(_utf8, 1000, new List<string>()).Table;
        Console.WriteLine($"// input: {new FileInfo(_path).Length / 1024.0 / 1024:0.0} MiB, {_table.RowCount} rows × {_table.Columns.Length} columns");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Description = "DataFileReader.Read (inspect + decode + parse + infer)")]
    public DataSet ReadAndInfer() => DataFileReader.Read(_path, "sales.csv", null, Limits).Data;

    [Benchmark(Description = "CsvTableReader.Read (parse only)")]
    public RawTable Parse() => CsvTableReader.Read(_utf8, 1000, new List<string>()).Table;

    [Benchmark(Description = "TypeInference.InferColumn × 6 (infer only, sequential)")]
    public DataColumn[] Infer() =>
        _table.Columns.Select((raw, i) => TypeInference.InferColumn(_table.Names[i], raw)).ToArray();
}
