using System.Globalization;
using System.Text;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// A parsed data set must stay small next to its file: the cache's size limit is spent on it, and an instance holds
/// several. The aim is at most 2.5 times the file; typed columns (numbers as double, dates as ticks, categories as a
/// code per cell, texts as the UTF-8 they were read as) bring it to 0.87 times, which this guards.
/// </summary>
public sealed class DataSetFootprintTests
{
    /// <summary>The benchmark's sales file, 60 000 rows: dates, two categories, money with thousands groups, percents, ids.</summary>
    static string WriteSalesCsv(string path, int rows)
    {
        var random = new Random(7);
        string[] categories = ["Books", "Games", "Music", "Tools", "Toys", "Garden", "Food", "Sports"];
        string[] regions = ["North", "South", "East", "West", "Central"];
        var csv = new StringBuilder("date,category,region,revenue,margin,order_id\n");
        for (var i = 0; i < rows; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{new DateTime(2024, 1, 1).AddDays(i % 730):yyyy-MM-dd},{categories[i % 8]},{regions[i % 5]},")
                .Append(CultureInfo.InvariantCulture, $"\"{1 + random.Next(90)},{random.Next(1000):000}.{random.Next(100):00}\",{random.NextDouble() * 40:0.0}%,ORD-{i:0000000}\n");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    [Fact]
    public void a_parsed_sales_file_takes_less_memory_than_the_file_itself()
    {
        var path = WriteSalesCsv(Path.Combine(Path.GetTempPath(), $"footprint-{Guid.NewGuid():N}.csv"), 60_000);
        try
        {
            var fileBytes = new FileInfo(path).Length;
            var data = DataFileReader.Read(path, "sales.csv", null, DataFileLimits.Default).Data;

            data.RowCount.ShouldBe(60_000);
            data.Columns.Select(c => c.Type).ShouldBe([ColumnTypes.Datetime, ColumnTypes.Categorical, ColumnTypes.Categorical,
                ColumnTypes.Numeric, ColumnTypes.Numeric, ColumnTypes.Id]);
            var ratio = (double)data.EstimatedBytes / fileBytes;
            ratio.ShouldBeLessThan(1.0, $"the data set holds {data.EstimatedBytes:N0} bytes for a {fileBytes:N0}-byte file");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
