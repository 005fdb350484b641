using System.Globalization;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Upload;

namespace ChartCraft.Tests.Charts;

/// <summary>Builds typed data sets for chart tests from arrays (files are read by VegaDatasets.Read, through the real parser).</summary>
public static class TestData
{
    public static DataSet Set(params DataColumn[] columns) =>
        new() { Columns = columns, RowCount = columns.Length == 0 ? 0 : columns[0].Raw.Length };

    public static DataColumn Numeric(string name, params double?[] values) => Numeric(name, null, values);

    public static DataColumn Numeric(string name, string? unit, params double?[] values) => new()
    {
        Name = name,
        Type = ColumnTypes.Numeric,
        Unit = unit,
        Raw = values.Select(v => v?.ToString(CultureInfo.InvariantCulture)).ToArray(),
        Numbers = values,
    };

    public static DataColumn Category(string name, params string?[] values) => Strings(name, ColumnTypes.Categorical, values);

    public static DataColumn Strings(string name, string type, params string?[] values) => new()
    {
        Name = name,
        Type = type,
        Raw = values,
    };

    public static DataColumn Dates(string name, params string?[] isoDates) => Dates(name, isoDates.Select(d => d is null ? (DateTime?)null : ParseDate(d)).ToArray());

    public static DataColumn Dates(string name, DateTime?[] dates) => new()
    {
        Name = name,
        Type = ColumnTypes.Datetime,
        Raw = dates.Select(d => d is { } v ? DataColumn.FormatDate(v) : null).ToArray(),
        Dates = dates,
    };

    public static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd"];

    static DateTime ParseDate(string s) => DateTime.SpecifyKind(
        DateTime.ParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc);
}
