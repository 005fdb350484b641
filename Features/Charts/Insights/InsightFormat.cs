using System.Globalization;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// Numbers and names written for people: thousands separators, compact millions, the unit on the
/// right side ($1,250 but 45.3%), one decimal for percentages, and never NaN.
/// </summary>
public static class InsightFormat
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A measured value with its unit: "$1,250", "45.3%", "1.23M", "12.5 kg".</summary>
    public static string Value(double value, string? unit)
    {
        if (!double.IsFinite(value)) return "n/a";
        if (unit == "%") return Percent(value);
        var number = Plain(Math.Abs(value));
        var sign = value < 0 && number != "0" ? "-" : "";
        if (string.IsNullOrWhiteSpace(unit)) return sign + number;
        if (IsCurrency(unit)) return sign + unit + number;
        // Symbols such as °C sit right after the number; words such as kg get a space.
        return sign + number + (char.IsLetter(unit[0]) ? " " : "") + unit;
    }

    /// <summary>A difference between two values: percentage points for % measures, else the value format.</summary>
    public static string Delta(double difference, string? unit) =>
        unit == "%" ? $"{Number(Math.Abs(difference), 1)} percentage points" : Value(Math.Abs(difference), unit);

    /// <summary>A percentage with at most one decimal: "25%", "24.9%", "1,234.5%".</summary>
    public static string Percent(double percent) =>
        double.IsFinite(percent) ? Number(percent, 1) + "%" : "n/a";

    /// <summary>A count: "1,234".</summary>
    public static string Count(double count) => Number(count, 0);

    /// <summary>A number with thousands separators and at most <paramref name="decimals"/> decimals ("-0" is written 0).</summary>
    public static string Number(double value, int decimals)
    {
        if (!double.IsFinite(value)) return "n/a";
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (rounded == 0) rounded = 0; // no "-0"
        var pattern = decimals == 0 ? "#,##0" : "#,##0." + new string('#', decimals);
        return rounded.ToString(pattern, Invariant);
    }

    /// <summary>Magnitude-aware rendering: 1.23B, 4.5M, 12,345, 123.4, 1.23, 0.0123.</summary>
    public static string Plain(double value)
    {
        if (!double.IsFinite(value)) return "n/a";
        var abs = Math.Abs(value);
        var sign = value < 0 ? "-" : "";
        if (abs >= 1e12) return sign + Number(abs / 1e12, 2) + "T";
        if (abs >= 1e9) return sign + Number(abs / 1e9, 2) + "B";
        if (abs >= 1e6) return sign + Number(abs / 1e6, 2) + "M";
        if (abs >= 1000) return sign + Number(abs, 0);
        if (abs >= 100) return sign + Number(abs, 1);
        if (abs >= 1) return sign + Number(abs, 2);
        if (abs == 0) return "0";
        // Three significant digits for small magnitudes, written without exponent.
        var decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(abs)), 0, 12);
        var small = Number(abs, decimals);
        return small == "0" ? "0" : sign + small;
    }

    /// <summary>A coefficient such as r or R²: two decimals.</summary>
    public static string Coefficient(double value) => Number(value, 2);

    /// <summary>Unit marks a column name may carry ("Cost Total $", "Share (%)"); the figures already show the unit.</summary>
    static readonly HashSet<string> UnitWords = new(StringComparer.OrdinalIgnoreCase) { "$", "€", "£", "¥", "%", "(%)", "($)", "(€)", "(£)", "(usd)", "(eur)", "(gbp)" };

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

    static bool IsCurrency(string unit) =>
        unit.Length <= 3 && unit.All(c => char.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol);
}
