using System.Globalization;
using ChartCraft.Features.Upload;

namespace ChartCraft.Tests.Support;

/// <summary>
/// Builds typed data sets from arrays, as the parser would type them, for tests that need exact values without
/// depending on the parser; data files are read by the real parser instead (<see cref="VegaDatasets.Read"/>).
/// </summary>
public sealed class DataSetBuilder
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly List<DataColumn> columns = [];

    public DataSetBuilder Numeric(string name, IEnumerable<double?> values, string? unit = null)
    {
        var numbers = values.ToArray();
        columns.Add(new DataColumn
        {
            Name = name, Type = ColumnTypes.Numeric, Unit = unit, Numbers = numbers,
            Raw = numbers.Select(v => v?.ToString("R", Invariant)).ToArray(),
        });
        return this;
    }

    public DataSetBuilder Numeric(string name, IEnumerable<double> values, string? unit = null) =>
        Numeric(name, values.Select(v => (double?)v), unit);

    public DataSetBuilder Dates(string name, IEnumerable<DateTime?> values)
    {
        var dates = values.Select(d => d is { } x ? DateTime.SpecifyKind(x, DateTimeKind.Utc) : (DateTime?)null).ToArray();
        columns.Add(new DataColumn
        {
            Name = name, Type = ColumnTypes.Datetime, Dates = dates,
            Raw = dates.Select(d => d is { } x ? DataColumn.FormatDate(x) : null).ToArray(),
        });
        return this;
    }

    public DataSetBuilder Dates(string name, IEnumerable<DateTime> values) => Dates(name, values.Select(d => (DateTime?)d));

    /// <param name="isoDates">Dates as yyyy-MM-dd, read as UTC midnight.</param>
    public DataSetBuilder Dates(string name, params string?[] isoDates) =>
        Dates(name, isoDates.Select(d => d is null ? (DateTime?)null : DateTime.ParseExact(d, "yyyy-MM-dd", Invariant, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)));

    public DataSetBuilder Labels(string name, IEnumerable<string?> values, string type = ColumnTypes.Categorical)
    {
        columns.Add(new DataColumn { Name = name, Type = type, Raw = values.ToArray() });
        return this;
    }

    public DataSetBuilder Booleans(string name, IEnumerable<bool?> values)
    {
        var booleans = values.ToArray();
        columns.Add(new DataColumn
        {
            Name = name, Type = ColumnTypes.Boolean, Booleans = booleans,
            Raw = booleans.Select(b => b is { } x ? (x ? "true" : "false") : null).ToArray(),
        });
        return this;
    }

    public DataSet Build()
    {
        var rows = columns.Count == 0 ? 0 : columns[0].Raw.Length;
        columns.ShouldAllBe(c => c.Raw.Length == rows, "every test column needs the same number of rows");
        return new DataSet { Columns = columns.ToList(), RowCount = rows };
    }

    public static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);

    /// <summary>The first day of each month from <paramref name="start"/>.</summary>
    public static IEnumerable<DateTime> Months(DateTime start, int count) =>
        Enumerable.Range(0, count).Select(i => new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(i));

    public static IEnumerable<DateTime> Days(DateTime start, int count) =>
        Enumerable.Range(0, count).Select(i => DateTime.SpecifyKind(start.Date, DateTimeKind.Utc).AddDays(i));
}
