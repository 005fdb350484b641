namespace ChartCraft.Features.Upload.Inference;

/// <summary>The layouts of date text that <see cref="DateParser"/> recognizes.</summary>
public enum DateShape : byte
{
    None,
    /// <summary>2024</summary>
    Year,
    /// <summary>2024-01</summary>
    YearMonth,
    /// <summary>2024-01-05, 2024/01/05, with an optional time</summary>
    YearMonthDay,
    /// <summary>05/01/2024, 5-1-24, 05.01.2024: day and month order decided per column</summary>
    Numeric,
    /// <summary>5 Jan 2024, 05-Jan-2024</summary>
    DayMonthName,
    /// <summary>January 5, 2024, Jan 5 2024</summary>
    MonthNameDay,
    /// <summary>Jan 2024, January 2024, Jan-24</summary>
    MonthNameYear,
}

/// <summary>
/// The pieces of one date text. For <see cref="DateShape.Numeric"/>, <see cref="First"/> and <see cref="Second"/> are
/// the numbers as written (day and month are told apart per column); otherwise they are month and day.
/// </summary>
public struct DateParts
{
    public DateShape Shape;
    public char Separator;
    public bool ShortYear;
    public bool LongMonthName;
    public int Year;
    public int First;
    public int Second;
    public TimeStyle Time;
    public bool TimeAfterT;
    public long TimeTicks;
    public ZoneStyle Zone;
    public int OffsetMinutes;

    /// <summary>The UTC instant, with day and month taken in the given order for numeric dates; null when that date does not exist.</summary>
    public readonly DateTime? ToUtc(bool dayFirst)
    {
        int month = First, day = Second;
        if (Shape == DateShape.Numeric && dayFirst) (month, day) = (Second, First);
        if (Shape is DateShape.Year) (month, day) = (1, 1);
        if (Shape is DateShape.YearMonth or DateShape.MonthNameYear) day = 1;
        if (!DateParser.IsValidDate(Year, month, day)) return null;
        var ticks = new DateTime(Year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks + TimeTicks - OffsetMinutes * TimeSpan.TicksPerMinute;
        return ticks is < 0 || ticks > DateTime.MaxValue.Ticks ? null : new DateTime(ticks, DateTimeKind.Utc);
    }

    /// <summary>A small number that identifies the written layout, to find a column's most common one.</summary>
    public readonly int LayoutKey(bool dayFirst) =>
        (int)Shape | Separator << 4 | (ShortYear ? 1 : 0) << 12 | (LongMonthName ? 1 : 0) << 13 | (int)Time << 14 |
        (TimeAfterT ? 1 : 0) << 17 | (int)Zone << 18 | (dayFirst && Shape == DateShape.Numeric ? 1 : 0) << 20;
}

/// <summary>How a time of day follows a date.</summary>
public enum TimeStyle : byte
{
    None,
    HoursMinutes,
    Seconds,
    Fraction,
    TwelveHour,
}

/// <summary>How a time zone follows a time.</summary>
public enum ZoneStyle : byte
{
    None,
    Utc,
    Offset,
}

/// <summary>
/// Parses the date layouts found in data files by hand, over spans: ISO 8601 (with times and offsets),
/// numeric day/month/year in either order, dd.MM.yyyy, yyyy-MM, English month names, and bare years.
/// </summary>
public static class DateParser
{
    static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    static readonly string[] DayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

    public static bool IsValidDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>Splits a date text into its parts. Bare 4-digit numbers come back as <see cref="DateShape.Year"/>; callers decide whether a column of them is years.</summary>
    public static bool TryParse(ReadOnlySpan<char> s, out DateParts p)
    {
        p = default;
        if (s.Length is < 4 or > 48) return false;
        if (char.IsAsciiDigit(s[0])) return StartsWithNumber(s, ref p);
        if (char.IsAsciiLetter(s[0])) return StartsWithWord(s, ref p);
        return false;
    }

    static bool StartsWithNumber(ReadOnlySpan<char> s, ref DateParts p)
    {
        var n = Digits(s, 0, out var first);
        if (n == 4) return YearFirst(s, first, ref p);
        if (n is not (1 or 2) || n >= s.Length) return false;
        return DayOrMonthFirst(s, first, n, ref p);
    }

    /// <summary>2024, 2024-03, 2024-03-05 (or with / or .), and a time after the day.</summary>
    static bool YearFirst(ReadOnlySpan<char> s, int year, ref DateParts p)
    {
        var i = 4;
        p.Year = year;
        if (i == s.Length)
        {
            p.Shape = DateShape.Year;
            return true;
        }
        var sep = s[i++];
        if (sep is not ('-' or '/' or '.')) return false;
        var monthDigits = Digits(s, i, out var month);
        if (monthDigits is < 1 or > 2 || month is < 1 or > 12) return false;
        i += monthDigits;
        p.First = month;
        p.Separator = sep;
        if (i == s.Length)
        {
            p.Shape = DateShape.YearMonth;
            return sep == '-' && monthDigits == 2;
        }
        if (s[i++] != sep) return false;
        var dayDigits = Digits(s, i, out var day);
        if (dayDigits is < 1 or > 2 || !IsValidDate(year, month, day)) return false;
        p.Second = day;
        p.Shape = DateShape.YearMonthDay;
        return ParseTime(s, i + dayDigits, ref p);
    }

    /// <summary>05/03/2024, 5-Mar-2024, 5th March 2024, 5 March, 2024: a day or month of one or two digits first.</summary>
    static bool DayOrMonthFirst(ReadOnlySpan<char> s, int first, int i, ref DateParts p)
    {
        var ordinal = char.IsAsciiLetter(s[i]);
        if (ordinal) SkipOrdinal(s, ref i);
        if (i >= s.Length) return false;
        var separator = s[i++];
        if (ordinal && separator != ' ') return false;
        if (separator is '/' or '-' or '.')
        {
            p.Separator = separator;
            if (i < s.Length && char.IsAsciiDigit(s[i])) return AllNumeric(s, first, separator, i, ref p);
            var month = MonthName(s, ref i, out p.LongMonthName);
            if (month == 0 || i >= s.Length || s[i++] != separator || !ParseYear(s, ref i, ref p)) return false;
            return DayMonth(DateShape.DayMonthName, month, first, s, i, ref p);
        }

        if (separator != ' ') return false;
        var spelled = MonthName(s, ref i, out p.LongMonthName);
        if (spelled == 0) return false;
        if (i < s.Length && s[i] == ',') i++;
        if (i >= s.Length || s[i++] != ' ' || !ParseYear(s, ref i, ref p) || p.ShortYear) return false;
        p.Separator = ' ';
        return DayMonth(DateShape.DayMonthName, spelled, first, s, i, ref p);
    }

    /// <summary>05/03/2024 or 5.3.24: which of the first two is the day is decided per column.</summary>
    static bool AllNumeric(ReadOnlySpan<char> s, int first, char separator, int i, ref DateParts p)
    {
        var secondDigits = Digits(s, i, out var second);
        if (secondDigits is < 1 or > 2) return false;
        i += secondDigits;
        if (i >= s.Length || s[i++] != separator) return false;
        if (!ParseYear(s, ref i, ref p)) return false;
        // Day and month are decided per column; here only what no order can make valid is rejected.
        if (first is < 1 or > 31 || second is < 1 or > 31 || (first > 12 && second > 12)) return false;
        p.First = first;
        p.Second = second;
        p.Shape = DateShape.Numeric;
        return ParseTime(s, i, ref p);
    }

    static bool StartsWithWord(ReadOnlySpan<char> s, ref DateParts p)
    {
        var i = 0;
        SkipDayName(s, ref i);
        var month = MonthName(s, ref i, out p.LongMonthName);
        if (month == 0 || i >= s.Length) return false;
        var sep = s[i++];
        if (sep is not (' ' or '-')) return false;
        p.Separator = sep;
        var n = Digits(s, i, out var number);
        i += n;
        if (i == s.Length && (n == 4 || (n == 2 && sep == '-')))
        {
            p.Year = n == 4 ? number : PivotYear(number);
            p.ShortYear = n == 2;
            p.First = month;
            p.Shape = DateShape.MonthNameYear;
            return true;
        }
        if (n is not (1 or 2) || sep != ' ') return false;
        SkipOrdinal(s, ref i);
        if (i < s.Length && s[i] == ',') i++;
        if (i >= s.Length || s[i++] != ' ' || !ParseYear(s, ref i, ref p) || p.ShortYear) return false;
        return DayMonth(DateShape.MonthNameDay, month, number, s, i, ref p);
    }

    static bool DayMonth(DateShape shape, int month, int day, ReadOnlySpan<char> s, int i, ref DateParts p)
    {
        if (!IsValidDate(p.Year, month, day)) return false;
        p.Shape = shape;
        p.First = month;
        p.Second = day;
        return ParseTime(s, i, ref p);
    }

    static bool ParseYear(ReadOnlySpan<char> s, ref int i, ref DateParts p)
    {
        var n = Digits(s, i, out var year);
        if (n is not (2 or 4)) return false;
        i += n;
        p.ShortYear = n == 2;
        p.Year = n == 2 ? PivotYear(year) : year;
        return true;
    }

    /// <summary>Two-digit years 00–49 are 2000–2049 and 50–99 are 1950–1999, as .NET and Excel read them.</summary>
    static int PivotYear(int yy) => yy < 50 ? 2000 + yy : 1900 + yy;

    /// <summary>An optional time after the date: T or space, H:mm[:ss[.fff]], AM/PM, then Z, UTC or ±HH[:]mm.</summary>
    static bool ParseTime(ReadOnlySpan<char> s, int i, ref DateParts p)
    {
        if (i == s.Length) return true;
        if (s[i] is not ('T' or ' ')) return false;
        p.TimeAfterT = s[i] == 'T';
        i++;
        var n = Digits(s, i, out var hour);
        if (n is < 1 or > 2 || (i += n) >= s.Length || s[i++] != ':') return false;
        n = Digits(s, i, out var minute);
        if (n != 2 || minute > 59) return false;
        i += n;
        p.Time = TimeStyle.HoursMinutes;
        long ticks = 0;
        if (i < s.Length && s[i] == ':')
        {
            n = Digits(s, ++i, out var second);
            if (n != 2 || second > 59) return false;
            i += n;
            ticks += second * TimeSpan.TicksPerSecond;
            p.Time = TimeStyle.Seconds;
            if (i < s.Length && s[i] is '.' or ',')
            {
                var start = ++i;
                long fraction = 0;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    if (i - start < 7) fraction = fraction * 10 + (s[i] - '0');
                    i++;
                }
                if (i == start) return false;
                for (var digits = Math.Min(i - start, 7); digits < 7; digits++) fraction *= 10;
                ticks += fraction;
                p.Time = TimeStyle.Fraction;
            }
        }

        var j = i < s.Length && s[i] == ' ' ? i + 1 : i;
        if (j + 1 < s.Length && s[j + 1] is 'M' or 'm' && s[j] is 'A' or 'a' or 'P' or 'p')
        {
            if (hour is < 1 or > 12) return false;
            var pm = s[j] is 'P' or 'p';
            hour = hour % 12 + (pm ? 12 : 0);
            p.Time = TimeStyle.TwelveHour;
            i = j + 2;
        }
        if (hour > 23) return false;
        p.TimeTicks = ticks + hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute;
        return ParseZone(s, i, ref p);
    }

    static bool ParseZone(ReadOnlySpan<char> s, int i, ref DateParts p)
    {
        if (i == s.Length) return true;
        var rest = s[i..].TrimStart(' ');
        if (rest is "Z" or "UTC" or "GMT" or "z")
        {
            p.Zone = ZoneStyle.Utc;
            return true;
        }
        if (rest.Length < 3 || rest[0] is not ('+' or '-' or '\u2212')) return false;
        var sign = rest[0] == '+' ? 1 : -1;
        var n = Digits(rest, 1, out var hours);
        int minutes = 0, k = 1 + n;
        if (n == 4)
        {
            minutes = hours % 100;
            hours /= 100;
        }
        else if (n == 2 && k < rest.Length)
        {
            if (rest[k] == ':') k++;
            if (Digits(rest, k, out minutes) != 2) return false;
            k += 2;
        }
        else if (n != 2) return false;
        if (k != rest.Length || hours > 14 || minutes > 59) return false;
        p.Zone = ZoneStyle.Offset;
        p.OffsetMinutes = sign * (hours * 60 + minutes);
        return true;
    }

    /// <summary>An English month name or its abbreviation (Jan, Sept, January), case-insensitive; 0 when none.</summary>
    static int MonthName(ReadOnlySpan<char> s, ref int i, out bool longName)
    {
        longName = false;
        var start = i;
        while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
        var word = s[start..i];
        if (word.Length < 3) return 0;
        for (var m = 0; m < MonthNames.Length; m++)
        {
            var name = MonthNames[m].AsSpan();
            if (word.Length == 3 && word.Equals(name[..3], StringComparison.OrdinalIgnoreCase)) return m + 1;
            if (word.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                longName = name.Length > 3;
                return m + 1;
            }
            if (m == 8 && word.Equals("sept", StringComparison.OrdinalIgnoreCase)) return 9;
        }
        return 0;
    }

    /// <summary>"Monday, " or "Mon " before a date.</summary>
    static void SkipDayName(ReadOnlySpan<char> s, ref int i)
    {
        var end = 0;
        while (end < s.Length && char.IsAsciiLetter(s[end])) end++;
        var word = s[..end];
        if (word.Length < 3) return;
        foreach (var day in DayNames)
        {
            if (!word.Equals(day, StringComparison.OrdinalIgnoreCase) && !word.Equals(day.AsSpan(0, 3), StringComparison.OrdinalIgnoreCase)) continue;
            var j = end;
            if (j < s.Length && s[j] == ',') j++;
            if (j < s.Length && s[j] == ' ') i = j + 1;
            return;
        }
    }

    /// <summary>The "st", "nd", "rd" or "th" after a day number (5th), when <paramref name="i"/> points just past the digits.</summary>
    static void SkipOrdinal(ReadOnlySpan<char> s, ref int i)
    {
        if (i + 2 <= s.Length && s.Slice(i, 2) is "st" or "nd" or "rd" or "th") i += 2;
    }

    /// <summary>Counts the digits from <paramref name="start"/> (up to 9 are summed into <paramref name="value"/>).</summary>
    static int Digits(ReadOnlySpan<char> s, int start, out int value)
    {
        value = 0;
        var i = start;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            if (i - start < 9) value = value * 10 + (s[i] - '0');
            i++;
        }
        return i - start;
    }
}
