namespace ChartCraft.Features.Upload.Parsing;

/// <summary>
/// How a delimited text writes its fields where CsvHelper's own detection (, ; tab | and " quotes) would misread it:
/// values separated by single spaces, or quoted with apostrophes. Null <see cref="Separator"/> leaves the choice to
/// CsvHelper, as for every file it already reads well.
/// </summary>
public sealed record CsvDialect(char? Separator, char Quote)
{
    /// <summary>Bytes of the file looked at: the first lines decide, so a large file costs no more than a small one.</summary>
    const int SampleBytes = 64 * 1024;

    const int SampleRecords = 200;

    static readonly char[] StandardSeparators = [',', ';', '\t', '|'];

    /// <summary>The dialect of <paramref name="utf8"/>; what was assumed goes to <paramref name="warnings"/> in plain words.</summary>
    /// <param name="knownSeparator">The separator the file is known to use (read before); null to detect it.</param>
    public static CsvDialect Detect(ReadOnlySpan<byte> utf8, char? knownSeparator, ICollection<string> warnings)
    {
        var bytes = Sample(utf8);
        var quote = QuotedByApostrophes(bytes) ? '\'' : '"';
        var sample = System.Text.Encoding.UTF8.GetString(bytes);
        if (quote == '\'') warnings.Add("Values quoted with ' were unquoted.");

        var separator = knownSeparator;
        if (separator is null)
        {
            // With " quotes the first consistent separator settles it; with ' the best one is needed.
            var standard = MostConsistent(sample, quote, firstFound: quote == '"');
            // CsvHelper detects the standard separators itself; only apostrophe quotes hide them from it.
            if (standard is not null) separator = quote == '\'' ? standard : null;
            else if (IsSpaceSeparated(sample, quote))
            {
                separator = ' ';
                warnings.Add("Read as space-separated values.");
            }
        }
        else if (separator == ' ') warnings.Add("Read as space-separated values.");
        return new CsvDialect(separator, quote);
    }

    /// <summary>The first whole lines of the file, without an Excel "sep=" line.</summary>
    static ReadOnlySpan<byte> Sample(ReadOnlySpan<byte> utf8)
    {
        var sample = utf8.Length > SampleBytes ? utf8[..(utf8[..SampleBytes].LastIndexOf((byte)'\n') + 1)] : utf8;
        if (sample.StartsWith("sep="u8) && sample.IndexOf((byte)'\n') is var end and >= 0) sample = sample[(end + 1)..];
        return sample;
    }

    /// <summary>
    /// Fields that open with ' right after a separator (, ; tab |) or the start of a line and close with ' before the next
    /// separator or the line's end ('Ann Lee','NY'), at least twice, and no field quoted with ": apostrophes inside
    /// values (O'Brien, '90s, He said 'yes', Excel's leading ' on a number) neither open nor close a field that way.
    /// </summary>
    static bool QuotedByApostrophes(ReadOnlySpan<byte> sample)
    {
        int apostrophes = 0, doubleQuotes = 0;
        var fieldStart = true;
        for (var i = 0; i < sample.Length; i++)
        {
            var b = sample[i];
            if (fieldStart && b is (byte)'\'' or (byte)'"')
            {
                var close = ClosingQuote(sample, i);
                if (close > 0)
                {
                    if (b == '\'') apostrophes++;
                    else doubleQuotes++;
                    i = close;
                    fieldStart = false;
                    continue;
                }
            }
            if (b is (byte)' ' && fieldStart) continue;
            fieldStart = b is (byte)',' or (byte)';' or (byte)'\t' or (byte)'|' or (byte)'\n';
        }
        return apostrophes >= 2 && doubleQuotes == 0;
    }

    /// <summary>The index of the quote closing the one at <paramref name="open"/>, when a separator or line end follows it; else -1.</summary>
    static int ClosingQuote(ReadOnlySpan<byte> sample, int open)
    {
        var quote = sample[open];
        for (var i = open + 1; i < sample.Length; i++)
        {
            if (sample[i] == (byte)'\n') return -1;
            if (sample[i] != quote) continue;
            if (i + 1 < sample.Length && sample[i + 1] == quote)
            {
                i++; // a doubled quote is one quote inside the value
                continue;
            }
            var next = i + 1;
            while (next < sample.Length && sample[next] == (byte)' ') next++;
            return next == sample.Length || sample[next] is (byte)',' or (byte)';' or (byte)'\t' or (byte)'|' or (byte)'\r' or (byte)'\n' ? i : -1;
        }
        return -1;
    }

    /// <summary>
    /// The standard separator that splits the most records into the same number (2 or more) of fields, when it does so
    /// for at least 80 % of them; null when none does.
    /// </summary>
    static char? MostConsistent(string sample, char quote, bool firstFound)
    {
        char? best = null;
        var bestShare = 0.8;
        foreach (var separator in StandardSeparators)
        {
            var share = ConsistentShare(FieldCounts(sample, separator, quote), out _);
            if (share >= bestShare + 1e-9 || best is null && share >= bestShare)
            {
                (best, bestShare) = (separator, share);
                if (firstFound) break;
            }
        }
        return best;
    }

    /// <summary>
    /// Single spaces between fields, the same number (2 or more) on 90 % of the records, and a column of numbers below the
    /// first line: two-word values in a one-column file ("New York") split the same way but hold no numbers.
    /// </summary>
    static bool IsSpaceSeparated(string sample, char quote)
    {
        var counts = FieldCounts(sample, ' ', quote);
        if (ConsistentShare(counts, out var fields) < 0.9 || counts.Count < 3) return false;
        var numeric = new int[fields];
        var rows = 0;
        foreach (var record in Records(sample, ' ', quote).Skip(1))
        {
            if (record.Length != fields) continue;
            rows++;
            for (var c = 0; c < fields; c++)
                if (double.TryParse(record[c], System.Globalization.CultureInfo.InvariantCulture, out _)) numeric[c]++;
        }
        return rows > 0 && numeric.Any(n => n * 10 >= rows * 8);
    }

    static double ConsistentShare(List<int> counts, out int mostCommon)
    {
        mostCommon = 0;
        if (counts.Count == 0) return 0;
        var common = counts.GroupBy(c => c).MaxBy(g => g.Count())!;
        mostCommon = common.Key;
        return common.Key < 2 ? 0 : (double)common.Count() / counts.Count;
    }

    static List<int> FieldCounts(string sample, char separator, char quote)
    {
        var counts = new List<int>();
        foreach (var record in Records(sample, separator, quote)) counts.Add(record.Length);
        return counts;
    }

    /// <summary>The sample's non-blank records split on <paramref name="separator"/>, honouring quotes (which may span lines).</summary>
    static List<string[]> Records(string text, char separator, char quote)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length && records.Count < SampleRecords; i++)
        {
            var c = text[i];
            if (c == quote && (quoted || field.ToString().Trim().Length == 0))
            {
                if (quoted && i + 1 < text.Length && text[i + 1] == quote) field.Append(text[++i]);
                else quoted = !quoted;
            }
            else if (quoted || (c != separator && c != '\n' && c != '\r')) field.Append(c);
            else if (c == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n') EndRecord();
        }
        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (fields.Any(f => f.Trim().Length > 0) && records.Count < SampleRecords) records.Add(fields.ToArray());
            fields.Clear();
        }
    }
}
