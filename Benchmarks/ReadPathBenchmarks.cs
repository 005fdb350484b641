using BenchmarkDotNet.Attributes;
using ChartCraft.Features.Analyze;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Benchmarks;

/// <summary>
/// What an upload, an analysis and a chart compute besides parsing: suggestions for the upload response,
/// a full analysis of the 200k-row file, and a chart (aggregate + Chart.js config) from a 50k-row source.
/// </summary>
[MemoryDiagnoser]
public class ReadPathBenchmarks
{
    DataSet _large = null!;
    DataSet _medium = null!;

    [GlobalSetup]
    public void Setup()
    {
        var limits = DataFileLimits.ForMaxFileBytes(50 * 1024 * 1024);
        var path = SalesCsv.Write(Path.Combine(Path.GetTempPath(), $"chartcraft-bench-read-{Environment.ProcessId}.csv"));
        _large = DataFileReader.Read(path, "sales.csv", null, limits).Data;
        File.Delete(path);
        var medium = SalesCsv.Write(Path.Combine(Path.GetTempPath(), $"chartcraft-bench-medium-{Environment.ProcessId}.csv"), rows: 50_000);
        _medium = DataFileReader.Read(medium, "sales.csv", null, limits).Data;
        File.Delete(medium);
    }

    [Benchmark(Description = "ChartRecommender.SuggestTypes (200k rows, upload response)")]
    public IReadOnlyList<string> SuggestTypes() => ChartRecommender.SuggestTypes(_large);

    [Benchmark(Description = "ColumnInfo.From × columns (200k rows, upload response)")]
    public List<ColumnInfo> ColumnInfos() => _large.Columns.Select(ColumnInfo.From).ToList();

    [Benchmark(Description = "DataAnalyzer.Analyze full (200k rows)")]
    public AnalysisResult AnalyzeFull() => DataAnalyzer.Analyze(_large, full: true);

    [Benchmark(Description = "Aggregate + Chart.js config, line by day (50k rows)")]
    public object LineChart()
    {
        var config = new ChartRequestConfig { XColumn = _medium.Columns[0].Name, YColumn = [_medium.Columns.First(c => c.Type == ColumnTypes.Numeric).Name] };
        return ChartJsConfigBuilder.Build(ChartAggregator.Aggregate(_medium, ChartTypes.Line, config), ChartPresentation.From("Revenue", config));
    }
}
