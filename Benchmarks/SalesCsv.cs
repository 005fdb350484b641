using System.Globalization;
using System.Text;

namespace ChartCraft.Benchmarks;

/// <summary>Writes a realistic sales export: ≈ 10 MB, 200k rows of date, category, region, revenue (1,234.56), margin (12.5%) and order id.</summary>
public static class SalesCsv
{
    static readonly string[] Categories = ["Books", "Electronics", "Garden", "Toys", "Grocery", "Clothing", "Sports", "Beauty", "Automotive", "Music"];
    static readonly string[] Regions = ["North", "South", "East", "West", "Central"];

    public static string Write(string path, int rows = 200_000)
    {
        var random = new Random(20240105);
        var start = new DateTime(2020, 1, 1);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("date,category,region,revenue,margin,order_id\n");
        for (var i = 0; i < rows; i++)
        {
            var date = start.AddDays(random.Next(0, 1826));
            var revenue = Math.Round(random.NextDouble() * 25_000, 2);
            var margin = Math.Round(random.NextDouble() * 60 - 10, 1);
            writer.Write(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Categories[random.Next(Categories.Length)]);
            writer.Write(',');
            writer.Write(Regions[random.Next(Regions.Length)]);
            writer.Write(",\"");
            writer.Write(revenue.ToString("#,##0.00", CultureInfo.InvariantCulture));
            writer.Write("\",");
            writer.Write(margin.ToString("0.0", CultureInfo.InvariantCulture));
            writer.Write("%,ORD-");
            writer.Write((i + 1).ToString("D7", CultureInfo.InvariantCulture));
            writer.Write('\n');
        }
        return path;
    }
}
