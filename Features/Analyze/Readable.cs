using System.Globalization;

namespace ChartCraft.Features.Analyze;

/// <summary>Numbers and periods written for people: thousands separators and three or four significant digits.</summary>
public static class Readable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>1,234,567 · 123.4 · 12.35 · 0.0123; a currency unit goes before, other units after.</summary>
    public static string Number(double value, string? unit = null)
    {
        if (!double.IsFinite(value)) return "n/a";
        var abs = Math.Abs(value);
        var text = abs switch
        {
            >= 1000 => value.ToString("#,##0", Invariant),
            >= 100 => value.ToString("#,##0.#", Invariant),
            >= 1 => value.ToString("#,##0.##", Invariant),
            0 => "0",
            // Small values keep three significant digits.
            _ => value.ToString("0." + new string('#', Math.Min(10, 2 - (int)Math.Floor(Math.Log10(abs)))), Invariant),
        };
        if (text is "-0") text = "0";
        return WithUnit(text, unit);
    }

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long count) => count.ToString("#,##0", Invariant);

    /// <summary>A share (0..1) as a percentage: 62% · 4.5% · 0.05%.</summary>
    public static string Percent(double share)
    {
        var pct = share * 100;
        var abs = Math.Abs(pct);
        var format = abs >= 10 || abs == 0 ? "0" : abs >= 1 ? "0.#" : "0.##";
        var text = pct.ToString(format, Invariant);
        return (text is "0" && pct != 0 ? "<0.01" : text) + "%";
    }

    /// <summary>A correlation or strength with two decimals: 0.82.</summary>
    public static string Coefficient(double value) => value.ToString("0.00", Invariant);

    /// <summary>"1 row", "3 rows".</summary>
    public static string Plural(long count, string noun) => Plural(count, noun, noun + "s");

    /// <summary>"1 category", "3 categories".</summary>
    public static string Plural(long count, string noun, string plural) => $"{Count(count)} {(count == 1 ? noun : plural)}";

    private static string WithUnit(string text, string? unit)
    {
        if (string.IsNullOrEmpty(unit)) return text;
        if (unit is "%") return text + "%";
        if (unit.Length == 1 && char.GetUnicodeCategory(unit[0]) == UnicodeCategory.CurrencySymbol)
            return text.StartsWith('-') ? "-" + unit + text[1..] : unit + text;
        return text + " " + unit;
    }
}
