using System.Buffers;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Features.Upload.Inference;

/// <summary>
/// Decides the type of a column from all of its values and produces the typed <see cref="DataColumn"/>.
/// A column is a type when at least 95 % of its non-missing values parse as that type (Datawrapper uses 90 %;
/// 95 % still tolerates the odd "n/a", "unknown" or typo, while a column that is really mixed stays text);
/// the values that did not parse are counted in <see cref="DataColumn.InvalidCount"/>.
/// Types are tried from the most to the least specific: years named as such, booleans, numbers, dates,
/// then identifiers, categories and free text.
/// </summary>
public static class TypeInference
{
    /// <summary>How many in 20 non-missing values may fail to parse as a type: 1 in 20 = the 95 % rule.</summary>
    const int TolerancePerTwenty = 1;
    const int FlagColumnMinimumRows = 20;

    /// <summary>Distinct labels a small table may have and still be grouped by: 50 states, 12 months, 100 products.</summary>
    const int SmallTableLabels = 100;

    /// <summary>Infers the column's type and parses its values. Warnings (e.g. ambiguous day/month order) go to <paramref name="warnings"/>.</summary>
    public static DataColumn InferColumn(string name, string?[] raw, InferenceHints? hints = null, ICollection<string>? warnings = null) =>
        InferColumn(name, CellTexts.FromStrings(raw), hints, warnings);

    /// <summary>Infers the type of normalized cells; numbers, dates and flags are parsed from spans, without a string per cell.</summary>
    public static DataColumn InferColumn(string name, CellTexts cells, InferenceHints? hints = null, ICollection<string>? warnings = null)
    {
        hints ??= InferenceHints.Default;
        var present = 0;
        for (var i = 0; i < cells.Count; i++)
            if (!cells.IsMissing(i))
                present++;

        if (present == 0) return TextColumn(name, cells, ColumnTypes.Text);
        var allowed = present * TolerancePerTwenty / 20;

        return (ColumnNameHints.SaysYear(name) || ColumnNameHints.SaysTime(name) ? Years(name, cells, allowed) : null)
               ?? Booleans(name, cells, present, allowed)
               ?? Numbers(name, cells, present, allowed, hints)
               ?? Dates(name, cells, allowed, hints, warnings)
               ?? Strings(name, cells, present);
    }

    /// <summary>A year column: 4-digit numbers under a header that names years (1000–2999) or time (1800–2100).</summary>
    static DataColumn? Years(string name, CellTexts cells, int allowed)
    {
        var (min, max) = ColumnNameHints.SaysYear(name) ? (1000, 2999) : (1800, 2100);
        var ticks = MissingTicks(cells.Count);
        var failures = 0;
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var i = 0; i < ticks.Length; i++)
        {
            if (cells.IsMissing(i)) continue;
            var cell = cells.Text(i, scratch);
            if (cell.Length == 4 && int.TryParse(cell, System.Globalization.NumberStyles.None, null, out var year) && year >= min && year <= max)
                ticks[i] = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            else if (++failures > allowed) return null;
        }
        return new DataColumn { Name = name, Type = ColumnTypes.Datetime, Format = "yyyy", Dates = new DateValues(ticks), InvalidCount = failures,
            InvalidTexts = InvalidTexts(cells, failures, i => ticks[i] == long.MinValue) };
    }

    static DataColumn? Booleans(string name, CellTexts cells, int present, int allowed)
    {
        var zeroOne = ColumnNameHints.SaysBoolean(name) || OnlyZeroAndOne(cells, present);
        var values = new bool?[cells.Count];
        var failures = 0;
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var i = 0; i < values.Length; i++)
        {
            if (cells.IsMissing(i)) continue;
            var cell = cells.Text(i, scratch);
            if (BooleanText.TryParse(cell, zeroOne, out var value)) values[i] = value;
            else if (++failures > allowed) return null;
        }
        return new DataColumn
        {
            Name = name, Type = ColumnTypes.Boolean, Booleans = values, InvalidCount = failures,
            InvalidTexts = InvalidTexts(cells, failures, i => values[i] is null),
        };
    }

    /// <summary>
    /// Nothing but 0 and 1, both of them, in at least <see cref="FlagColumnMinimumRows"/> rows: a yes/no feature written as
    /// digits (candy "chocolate", "fruity"), which a person reads as a flag, not a measure to sum or average. Fewer rows could
    /// as well be small counts.
    /// </summary>
    static bool OnlyZeroAndOne(CellTexts cells, int present)
    {
        if (present < FlagColumnMinimumRows) return false;
        var (zeros, ones) = (0, 0);
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells.IsMissing(i)) continue;
            var cell = cells.Text(i, scratch);
            if (cell is "0") zeros++;
            else if (cell is "1") ones++;
            else return false;
        }
        return zeros > 0 && ones > 0;
    }

    static DataColumn? Numbers(string name, CellTexts cells, int present, int allowed, InferenceHints hints)
    {
        if (DecimalCommaFor(cells, hints.DecimalComma, allowed) is not { } decimalComma) return null;
        // Rented: most columns tried as numbers are not, and give up after 5 % of their cells.
        var rented = ParseBuffers<double>.Pool.Rent(cells.Count);
        try
        {
            return Numbers(name, cells, present, allowed, decimalComma, rented.AsSpan(0, cells.Count));
        }
        finally
        {
            ParseBuffers<double>.Pool.Return(rented);
        }
    }

    /// <param name="parsedValues">Room for a value per cell; NaN marks a missing or unparsable cell.</param>
    static DataColumn? Numbers(string name, CellTexts cells, int present, int allowed, bool decimalComma, Span<double> parsedValues)
    {
        parsedValues.Fill(double.NaN);
        int failures = 0, percents = 0, leadingZeros = 0, currencies = 0, exponents = 0;
        char currency = '\0';
        var traitsSeen = NumberTraits.None;
        var integral = true;
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var i = 0; i < parsedValues.Length; i++)
        {
            if (cells.IsMissing(i)) continue;
            var cell = cells.Text(i, scratch);
            if (!NumberParser.TryParse(cell, decimalComma, out var value, out var traits, out var symbol))
            {
                if (++failures > allowed) return null;
                continue;
            }
            parsedValues[i] = value;
            traitsSeen |= traits;
            if ((traits & NumberTraits.Percent) != 0) percents++;
            if ((traits & NumberTraits.LeadingZero) != 0) leadingZeros++;
            if ((traits & NumberTraits.Exponent) != 0) exponents++;
            if (symbol != '\0')
            {
                // The first symbol names the unit; other symbols still count as currency values.
                if (currency == '\0') currency = symbol;
                currencies++;
            }
            integral &= value == Math.Floor(value) && (traits & NumberTraits.DecimalSeparator) == 0;
        }

        var parsed = present - failures;
        var numbers = parsedValues.ToArray();
        // Zip codes, account numbers and product codes keep their leading zeros: they are labels, not quantities.
        if (leadingZeros * 20 > parsed) return null;
        if (integral && failures == 0 && ColumnNameHints.SaysIdentifier(name) && AllDistinct(numbers, parsed))
            return TextColumn(name, cells, ColumnTypes.Id);

        var unit = percents * 2 > parsed ? "%" : currencies * 2 > parsed ? currency.ToString() : null;
        return new DataColumn
        {
            Name = name, Type = ColumnTypes.Numeric, Numbers = new NumberValues(numbers), InvalidCount = failures, Unit = unit,
            InvalidTexts = InvalidTexts(cells, failures, i => double.IsNaN(numbers[i])),
            // A few tiny values written as 9.9E-05 do not make a column scientific.
            Format = NumberFormat(exponents * 2 > parsed ? traitsSeen : traitsSeen & ~NumberTraits.Exponent, decimalComma),
        };
    }

    /// <summary>
    /// Decides the decimal separator from the values that show one; the file's convention decides a tie. Null when more
    /// than <paramref name="allowed"/> cells start with a letter, which no number does: a text column is given up on
    /// after a few cells instead of being read to the end for separators it does not have.
    /// </summary>
    static bool? DecimalCommaFor(CellTexts cells, bool preferComma, int allowed)
    {
        int comma = 0, dot = 0, words = 0;
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells.IsMissing(i)) continue;
            var cell = cells.Text(i, scratch);
            if (char.IsAsciiLetter(cell[0]) && ++words > allowed) return null;
            if (cell.Length < 2) continue;
            switch (NumberParser.Evidence(cell))
            {
                case DecimalEvidence.Comma: comma++; break;
                case DecimalEvidence.Dot: dot++; break;
            }
            if (comma + dot >= 1000) break;
        }
        return comma > dot || (comma == dot && preferComma);
    }

    static string? NumberFormat(NumberTraits traits, bool decimalComma)
    {
        var grouped = (traits & NumberTraits.Grouped) != 0;
        var fraction = (traits & NumberTraits.DecimalSeparator) != 0;
        if ((traits & NumberTraits.Exponent) != 0) return decimalComma ? "0,##E+0" : "0.##E+0";
        if (decimalComma && (grouped || fraction)) return grouped ? "#.##0,##" : "0,##";
        return grouped ? "#,##0.##" : null;
    }

    static bool AllDistinct(double[] numbers, int count)
    {
        var seen = new HashSet<double>(count);
        foreach (var v in numbers)
            if (!double.IsNaN(v) && !seen.Add(v))
                return false;
        return true;
    }

    /// <summary>The texts of the present cells that did not parse (at most 5 % of the column), by row.</summary>
    static Dictionary<int, string>? InvalidTexts(CellTexts cells, int failures, Func<int, bool> unparsed)
    {
        if (failures == 0) return null;
        var texts = new Dictionary<int, string>(failures);
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var i = 0; i < cells.Count && texts.Count < failures; i++)
            if (!cells.IsMissing(i) && unparsed(i))
                texts[i] = cells.Text(i, scratch).ToString();
        return texts;
    }

    /// <summary>A column of ticks, every cell missing until parsed.</summary>
    static long[] MissingTicks(int count)
    {
        var ticks = new long[count];
        Array.Fill(ticks, long.MinValue);
        return ticks;
    }

    /// <summary>
    /// Each cell's date parts (default where missing or not a date), and the day/month-order votes of the numeric
    /// ones; null as soon as more than <paramref name="allowed"/> cells are not dates.
    /// </summary>
    static (int Failures, int DayFirstVotes, int MonthFirstVotes, int Undecided)? ParseDates(CellTexts cells, DateParts[] parts, int allowed)
    {
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        int failures = 0, dayFirstVotes = 0, monthFirstVotes = 0, undecided = 0;
        for (var i = 0; i < cells.Count; i++)
        {
            parts[i] = default;
            if (cells.IsMissing(i)) continue;
            var cell = cells.Text(i, scratch);
            // Bare years are dates only under a year header (handled before): elsewhere 1850 is a number.
            if (!DateParser.TryParse(cell, out var p) || p.Shape == DateShape.Year)
            {
                if (++failures > allowed) return null;
                continue;
            }
            parts[i] = p;
            if (p.Shape != DateShape.Numeric || p.Separator == '.') continue;
            if (p.First > 12) dayFirstVotes++;
            else if (p.Second > 12) monthFirstVotes++;
            else undecided++;
        }
        return (failures, dayFirstVotes, monthFirstVotes, undecided);
    }

    static DataColumn? Dates(string name, CellTexts cells, int allowed, InferenceHints hints, ICollection<string>? warnings)
    {
        var parts = ParseBuffers<DateParts>.Pool.Rent(cells.Count);
        try
        {
            if (ParseDates(cells, parts, allowed) is not var (failures, dayFirstVotes, monthFirstVotes, undecided)) return null;

            // Day and month order is one decision per column: a value with a day above 12 settles it; when none has,
            // the file's convention decides (month first, as in US exports, unless the file is European).
            var dayFirst = dayFirstVotes != monthFirstVotes ? dayFirstVotes > monthFirstVotes : hints.DayFirst;
            if (undecided > 0 && dayFirstVotes == 0 && monthFirstVotes == 0)
                warnings?.Add($"Column '{name}': no date has a day above 12, so day and month cannot be told apart; " +
                              $"read as {(dayFirst ? "day/month/year" : "month/day/year")}.");

            var dates = MissingTicks(cells.Count);
            var layouts = new Dictionary<int, (int Count, DateParts Example)>();
            // Neighbouring values nearly always share a layout: counted as runs, added to the table when a run ends.
            var (runKey, runCount, runExample) = (0, 0, default(DateParts));
            void EndRun()
            {
                if (runCount > 0)
                    layouts[runKey] = layouts.TryGetValue(runKey, out var seen) ? (seen.Count + runCount, seen.Example) : (runCount, runExample);
            }
            for (var i = 0; i < dates.Length; i++)
            {
                if (parts[i].Shape == DateShape.None) continue;
                var p = parts[i];
                var valueDayFirst = dayFirst || p.Separator == '.' && p.Shape == DateShape.Numeric;
                if (p.ToUtc(valueDayFirst) is not { } date)
                {
                    if (++failures > allowed) return null;
                    continue;
                }
                dates[i] = date.Ticks;
                var key = p.LayoutKey(valueDayFirst);
                if (runCount > 0 && key == runKey) runCount++;
                else
                {
                    EndRun();
                    (runKey, runCount, runExample) = (key, 1, p);
                }
            }

            EndRun();
            var common = layouts.MaxBy(l => l.Value.Count);
            var format = DateFormats.Describe(common.Value.Example, (common.Key >> 20 & 1) == 1);
            return new DataColumn { Name = name, Type = ColumnTypes.Datetime, Format = format, Dates = new DateValues(dates), InvalidCount = failures,
                InvalidTexts = InvalidTexts(cells, failures, i => dates[i] == long.MinValue) };
        }
        finally
        {
            ParseBuffers<DateParts>.Pool.Return(parts);
        }
    }

    /// <summary>
    /// Identifiers (all distinct, under an id-like header or shaped like ids), categories (few distinct values relative
    /// to rows, or short labels in a small table) or free text (long or mostly distinct values). Decided on the
    /// column dictionary-encoded, so a text read as UTF-8 becomes a string only when it is a category's value.
    /// </summary>
    static DataColumn Strings(string name, CellTexts cells, int present)
    {
        var distinct = cells.Distinct();
        var unique = distinct.Count;
        var rowsPerValue = new int[unique];
        foreach (var code in distinct.Codes)
            if (code >= 0) rowsPerValue[code]++;
        long totalLength = 0;
        var longest = 0;
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var code = 0; code < unique; code++)
        {
            var length = cells.Text(distinct.FirstRows[code], scratch).Length;
            totalLength += (long)rowsPerValue[code] * length;
            longest = Math.Max(longest, length);
        }
        // What describing the column needs later, counted here once.
        var summary = new ValueSummary(cells.Count - present, unique, distinct.FirstRows[..Math.Min(unique, ValueSummary.Samples)], longest);

        var averageLength = (double)totalLength / present;
        if (present >= 2 && unique == present)
        {
            // Only a column of distinct values can be identifiers: only then is their shape worth looking at.
            int identifierLike = 0, uuids = 0, codes = 0;
            foreach (var row in distinct.FirstRows)
            {
                var cell = cells.Text(row, scratch);
                if (IdentifierText.IsUuid(cell)) uuids++;
                else if (IdentifierText.LooksLikeIdentifier(cell)) identifierLike++;
                else if (IdentifierText.IsCode(cell)) codes++;
            }
            // Letter codes (ATL, LHR) are ids once there are more of them than a small table's labels (AL, AK… stay categories).
            if (unique > SmallTableLabels) identifierLike += codes;
            if (ColumnNameHints.SaysIdentifier(name) || (identifierLike + uuids) * 20 >= present * 19)
                return TextColumn(name, cells, ColumnTypes.Id, uuids * 20 >= present * 19 ? "uuid" : null, summary);
        }

        var mostlyDistinct = unique * 2 > present;
        if (averageLength > 50 && mostlyDistinct) return TextColumn(name, cells, ColumnTypes.Text, summary: summary);
        // People's names and street addresses are read, not grouped by, however short; nearly every one differs.
        if (unique * 10 >= present * 9 && NameAndAddressText.AreNamesOrAddresses(name, DistinctTexts(cells, distinct)))
            return TextColumn(name, cells, ColumnTypes.Text, summary: summary);
        // Few values for many rows, or short labels in a small table (50 states, 12 months) that charts group by.
        if (unique <= Math.Max(20, present / 20) || (!mostlyDistinct && averageLength <= 40) || (unique <= SmallTableLabels && averageLength <= 30))
        {
            var values = new string[unique];
            for (var code = 0; code < unique; code++) values[code] = cells.Text(distinct.FirstRows[code], scratch).ToString();
            return new DataColumn { Name = name, Type = ColumnTypes.Categorical, Raw = TextValues.Coded(distinct.Codes, values, summary) };
        }
        return TextColumn(name, cells, ColumnTypes.Text, summary: summary);
    }

    /// <summary>The first distinct values of a column, as strings, for the rules that read their words.</summary>
    static List<string> DistinctTexts(CellTexts cells, DistinctCells distinct)
    {
        var texts = new List<string>(Math.Min(distinct.Count, 500));
        Span<char> scratch = stackalloc char[CellTexts.ScratchLength];
        for (var code = 0; code < texts.Capacity; code++) texts.Add(cells.Text(distinct.FirstRows[code], scratch).ToString());
        return texts;
    }

    /// <summary>
    /// A column of identifiers or free text (mostly distinct): kept as the UTF-8 it was read as when it was read from
    /// text, else as strings (see <see cref="CellTexts.AsTextValues"/>).
    /// </summary>
    static DataColumn TextColumn(string name, CellTexts cells, string type, string? format = null, ValueSummary? summary = null) =>
        new() { Name = name, Type = type, Raw = cells.AsTextValues(summary), Format = format };
}
