using CsvHelper;

namespace ChartCraft.Features.Upload;

/// <summary>A delimited text table and the separator it was found to use.</summary>
public sealed record CsvTable(RawTable Table, char Separator);

/// <summary>
/// Reads delimited text with CsvHelper: the separator is detected among , ; tab and | from how consistently
/// each splits the first lines; RFC 4180 quoting (escaped quotes, line breaks inside quotes); CRLF or LF.
/// </summary>
public static class CsvTableReader
{
    /// <summary>Reads UTF-8 text (see <see cref="TextDecoder"/>) into a table; 422 when it holds no data rows.</summary>
    public static CsvTable Read(byte[] utf8, int maxColumns, ICollection<string> warnings)
    {
        var options = CsvReaderOptions.Default with
        {
            HasHeader = false, // the header is recognized afterwards, from the values (TableShaper)
            Separator = null,
            TrimWhitespace = true,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            DetectSeparatorHint = true,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            // Category columns repeat a few values over many rows: one string per distinct value saves memory.
            PoolStrings = true,
        };

        var records = new List<string?[]>();
        char separator;
        using (var reader = CsvReader.Create(utf8, options))
        {
            while (reader.Read())
            {
                var count = reader.FieldCount;
                var record = new string?[count];
                for (var i = 0; i < count; i++)
                    record[i] = reader.GetString(i) is { Length: > 0 } value ? value : null;
                records.Add(record);
            }
            separator = reader.Separator;
        }

        return new CsvTable(TableShaper.Shape(records, ragged: true, maxColumns, warnings), separator);
    }
}
