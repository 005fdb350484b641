using System.Collections.Concurrent;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Tests.Support;

/// <summary>The real data sets under Data/VegaDatasets, kept once for every feature's tests.</summary>
public static class VegaDatasets
{
    static readonly ConcurrentDictionary<string, DataSet> read = new();

    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "Data", "VegaDatasets", fileName);

    /// <summary>
    /// The file typed by the real parser, as an upload of it would be. Read once per test run: the tests only read
    /// the data set, and the 8 760-row Seattle file is used by many of them.
    /// </summary>
    public static DataSet Read(string fileName) =>
        read.GetOrAdd(fileName, name => DataFileReader.Read(PathOf(name), name, null, DataFileLimits.Default).Data);

    /// <summary>
    /// The cells of each data row, split at commas, for expectations computed independently of the parser;
    /// only for files without quoted fields.
    /// </summary>
    public static string[][] Rows(string fileName) =>
        File.ReadLines(PathOf(fileName)).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToArray();
}
