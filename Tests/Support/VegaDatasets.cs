namespace ChartCraft.Tests.Support;

/// <summary>The real data sets under Data/VegaDatasets, kept once for every feature's tests.</summary>
public static class VegaDatasets
{
    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "Data", "VegaDatasets", fileName);

    /// <summary>
    /// The cells of each data row, split at commas, for expectations computed independently of the parser;
    /// only for files without quoted fields.
    /// </summary>
    public static string[][] Rows(string fileName) =>
        File.ReadLines(PathOf(fileName)).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToArray();
}
