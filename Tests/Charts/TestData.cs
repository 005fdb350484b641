using System.Globalization;
using System.Text;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

/// <summary>
/// Builds typed data sets for chart tests without the real parser (written elsewhere): columns from arrays,
/// or a minimal CSV reader with plain type rules, good enough for the well-formed files under Data/VegaDatasets.
/// </summary>
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

    /// <summary>A file under Tests/Data/VegaDatasets.</summary>
    public static DataSet Csv(string fileName) => cache.GetOrAdd(fileName, f => ReadCsv(VegaDatasets.PathOf(f)));

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DataSet> cache = new();

    static DataSet ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0).ToList();
        var header = SplitLine(lines[0]);
        var rows = lines.Skip(1).Select(SplitLine).ToList();
        var columns = header.Select((name, i) => Infer(name, rows.Select(r => i < r.Count && r[i].Trim().Length > 0 ? r[i].Trim() : null).ToArray())).ToList();
        return new DataSet { Columns = columns, RowCount = rows.Count };
    }

    static DataColumn Infer(string name, string?[] raw)
    {
        var present = raw.OfType<string>().ToList();
        if (present.Count > 0 && present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            return new DataColumn
            {
                Name = name,
                Type = ColumnNameHints.SaysIdentifier(name) ? ColumnTypes.Id : ColumnTypes.Numeric,
                Raw = raw,
                Numbers = ColumnNameHints.SaysIdentifier(name) ? null : raw.Select(v => v is null ? (double?)null : double.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
            };
        }
        if (present.Count > 0 && present.All(v => TryParseDate(v, out _)))
        {
            return new DataColumn
            {
                Name = name,
                Type = ColumnTypes.Datetime,
                Raw = raw,
                Dates = raw.Select(v => v is null ? (DateTime?)null : ParseDate(v)).ToArray(),
            };
        }
        var distinct = present.Distinct().Count();
        var type = ColumnNameHints.SaysIdentifier(name) ? ColumnTypes.Id
            : present.Count > 0 && present.Average(v => v.Length) > 40 ? ColumnTypes.Text
            : ColumnTypes.Categorical;
        return new DataColumn { Name = name, Type = type, Raw = raw };
    }

    static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd"];

    static bool TryParseDate(string s, out DateTime date) =>
        DateTime.TryParseExact(s, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out date);

    static DateTime ParseDate(string s) =>
        TryParseDate(s, out var d) ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : throw new FormatException($"not a date: {s}");

    /// <summary>One CSV line: commas, with double-quoted fields that may hold commas and doubled quotes.</summary>
    static List<string> SplitLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(ch);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
