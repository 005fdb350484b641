using System.Globalization;

namespace ChartCraft.Features.Statistics;

/// <summary>
/// Numbers and names written for people, the one formatter of the analysis descriptions and the chart insights:
/// thousands separators, three or four significant digits, the unit on the side people write it
/// ($1,250 but 45.3% and 12.5 kg), never NaN and never "-0".
/// </summary>
public static class Readable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// A full figure with its unit: 1,234,567 · 123.4 · 12.35 · 0.0123 · -$1,500 · 3.2 kg. Analysis descriptions
    /// quote figures a reader looks up in the data, so large values keep every digit.
    /// </summary>
    public static string Number(double value, string? unit = null) =>
        double.IsFinite(value) ? WithUnit(value, Digits(Math.Abs(value)), unit) : "n/a";

    /// <summary>
    /// A figure for a headline: as <see cref="Number"/>, but millions and more compact (1.23M, 4.5B) and a
    /// percentage measure with one decimal (<see cref="Percent"/>).
    /// </summary>
    public static string Compact(double value, string? unit = null)
    {
        if (!double.IsFinite(value)) return "n/a";
        if (unit == "%") return Percent(value);
        var abs = Math.Abs(value);
        var digits = abs >= 1e12 ? Rounded(abs / 1e12, 2) + "T"
            : abs >= 1e9 ? Rounded(abs / 1e9, 2) + "B"
            : abs >= 1e6 ? Rounded(abs / 1e6, 2) + "M"
            : Digits(abs);
        return WithUnit(value, digits, unit);
    }

    /// <summary>A difference between two values: percentage points for % measures, else the compact value.</summary>
    public static string Delta(double difference, string? unit) =>
        unit == "%" ? $"{Rounded(Math.Abs(difference), 1)} percentage points" : Compact(Math.Abs(difference), unit);

    /// <summary>A measured percentage or a change in percent, with at most one decimal: "25%", "24.9%", "1,234.5%".</summary>
    public static string Percent(double percent) =>
        double.IsFinite(percent) ? Rounded(percent, 1) + "%" : "n/a";

    /// <summary>
    /// A share (0..1) of rows or values, to two significant digits: 62% · 4.5% · 0.05% · &lt;0.01%. A share says
    /// how much of the data something covers, where "17%" reads better than "16.6%".
    /// </summary>
    public static string Share(double share)
    {
        var percent = share * 100;
        var abs = Math.Abs(percent);
        var text = Rounded(percent, abs >= 10 || abs == 0 ? 0 : abs >= 1 ? 1 : 2);
        return (text is "0" && percent != 0 ? "<0.01" : text) + "%";
    }

    /// <summary>A count with thousands separators: "1,234".</summary>
    public static string Count(double count) => Rounded(count, 0);

    /// <summary>
    /// A correlation, r² or skew with two decimals, as coefficients are reported: 0.82, 0.80, 1.00 (so a column of
    /// them lines up, and "0.8" is not read as a rounded 0.75–0.85).
    /// </summary>
    public static string Coefficient(double value)
    {
        var text = Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("0.00", Invariant);
        return text == "-0.00" ? "0.00" : text;
    }

    /// <summary>A number with thousands separators and at most <paramref name="decimals"/> decimals.</summary>
    public static string Rounded(double value, int decimals)
    {
        if (!double.IsFinite(value)) return "n/a";
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0) rounded = 0; // no "-0"
        var pattern = decimals == 0 ? "#,##0" : "#,##0." + new string('#', decimals);
        return rounded.ToString(pattern, Invariant);
    }

    /// <summary>"1 row", "3 rows".</summary>
    public static string Plural(long count, string noun) => Plural(count, noun, noun + "s");

    /// <summary>"1 category", "3 categories".</summary>
    public static string Plural(long count, string noun, string plural) => $"{Count(count)} {(count == 1 ? noun : plural)}";

    /// <summary>A non-negative magnitude to three or four significant digits: 12,345 · 123.4 · 1.23 · 0.0123.</summary>
    private static string Digits(double abs)
    {
        if (abs >= 1000) return Rounded(abs, 0);
        if (abs >= 100) return Rounded(abs, 1);
        if (abs >= 1) return Rounded(abs, 2);
        if (abs == 0) return "0";
        // Three significant digits for small magnitudes, written without exponent.
        return Rounded(abs, Math.Clamp(2 - (int)Math.Floor(Math.Log10(abs)), 0, 12));
    }

    /// <summary>The sign, then a currency before the digits; "%" and symbols such as °C right after them; words after a space.</summary>
    private static string WithUnit(double value, string digits, string? unit)
    {
        var sign = value < 0 && digits != "0" ? "-" : "";
        if (string.IsNullOrWhiteSpace(unit)) return sign + digits;
        if (IsCurrency(unit)) return sign + unit + digits;
        return sign + digits + (char.IsLetter(unit[0]) ? " " : "") + unit;
    }

    private static bool IsCurrency(string unit) =>
        unit.Length <= 3 && unit.All(c => char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol);

    // ---- names ------------------------------------------------------------------------------

    /// <summary>Unit marks a column name may carry ("Cost Total $", "Share (%)"); the figures already show the unit.</summary>
    private static readonly HashSet<string> UnitWords = new(StringComparer.OrdinalIgnoreCase)
        { "$", "€", "£", "¥", "%", "(%)", "($)", "(€)", "(£)", "(usd)", "(eur)", "(gbp)" };

    /// <summary>"unit_price" → "Unit price", "Cost Total $" → "Cost Total"; keeps acronyms ("GDP") as they are.</summary>
    public static string Humanize(string name)
    {
        var words = name.Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !UnitWords.Contains(w)).ToArray();
        if (words.Length == 0) return name;
        var text = string.Join(' ', words);
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>
    /// For use inside a sentence: "Cost Total" → "cost total", "Phase of flight" → "phase of flight"; words that look
    /// like acronyms or names with inner capitals ("GDP", "iPhone", "McDonald") stay as they are.
    /// </summary>
    public static string Lower(string text) =>
        string.Join(' ', text.Split(' ').Select(word =>
            word.Length == 0 || word.Skip(1).Any(char.IsUpper) || (word.Length > 1 && !char.IsLetter(word[1]))
                ? word
                : char.ToLowerInvariant(word[0]) + word[1..]));

    /// <summary>Upper-cases the first letter, for the start of a sentence.</summary>
    public static string Upper(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>"A", "A and B", "A, B and C".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
