using System.Globalization;
using ChartCraft.Features.Upload;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

/// <summary>Builds typed data sets from arrays, as the parser would, without depending on the parser.</summary>
internal sealed class DataSetBuilder
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

    /// <summary>The first day of each month from <paramref name="start"/>.</summary>
    public static IEnumerable<DateTime> Months(DateTime start, int count) =>
        Enumerable.Range(0, count).Select(i => new DateTime(start.Year, start.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(i));

    public static IEnumerable<DateTime> Days(DateTime start, int count) =>
        Enumerable.Range(0, count).Select(i => DateTime.SpecifyKind(start.Date, DateTimeKind.Utc).AddDays(i));
}

/// <summary>
/// A test-only reader for the simple, unquoted CSV files under Data/VegaDatasets: a column is numeric when every
/// value parses as a number, datetime when every value parses as an ISO date, otherwise categorical.
/// </summary>
internal static class SimpleCsv
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="yearColumns">Integer columns that hold years, read as datetime as the parser does with year columns.</param>
    public static DataSet Read(string fileName, params string[] yearColumns)
    {
        var lines = File.ReadAllLines(VegaDatasets.PathOf(fileName)).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var cells = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var builder = new DataSetBuilder();
        for (var c = 0; c < header.Length; c++)
        {
            var raw = cells.Select(r => c < r.Length && r[c].Trim().Length > 0 ? r[c].Trim() : null).ToArray();
            var present = raw.Where(v => v is not null).ToArray();
            if (yearColumns.Contains(header[c]))
                builder.Dates(header[c], raw.Select(v => v is null ? (DateTime?)null : new DateTime(int.Parse(v, Invariant), 1, 1, 0, 0, 0, DateTimeKind.Utc)));
            else if (present.All(v => double.TryParse(v, NumberStyles.Float, Invariant, out _)))
                builder.Numeric(header[c], raw.Select(v => v is null ? (double?)null : double.Parse(v, NumberStyles.Float, Invariant)));
            else if (present.All(v => v!.Length >= 10 && v[4] == '-' && DateTime.TryParse(v, Invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _)))
                builder.Dates(header[c], raw.Select(v => v is null ? (DateTime?)null
                    : DateTime.Parse(v, Invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)));
            else
                builder.Labels(header[c], raw);
        }
        return builder.Build();
    }
}
