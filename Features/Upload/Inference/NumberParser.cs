using System.Globalization;

namespace ChartCraft.Features.Upload.Inference;

/// <summary>What a number was written with, beyond its digits.</summary>
[Flags]
public enum NumberTraits : byte
{
    None = 0,
    Grouped = 1,          // thousands separators: 1,234 or 1.234 or 1 234
    DecimalSeparator = 2, // a fractional part
    Exponent = 4,         // 1.5e6
    Percent = 8,          // 12.5%
    Parenthesized = 16,   // (1,234.50): negative, accounting style
    LeadingZero = 32,     // 007: a code rather than a quantity
}

/// <summary>Which decimal separator a number's text shows.</summary>
public enum DecimalEvidence : byte
{
    None,
    Dot,
    Comma,
}

/// <summary>
/// Parses numbers as people write them in data files: thousands separators (1,234.5 and, with a decimal comma,
/// 1.234,5; spaces and non-breaking spaces), currency symbols before or after, negatives in parentheses,
/// percent signs and scientific notation. Hand-written over spans: it runs on every cell of every column.
/// </summary>
public static class NumberParser
{
    const int MaxLength = 64;

    /// <summary>
    /// Parses <paramref name="text"/>: "12.5%" gives 12.5 with <see cref="NumberTraits.Percent"/>; "($1,234.50)" gives
    /// -1234.5 with <paramref name="currency"/> '$' (or '\0' without a symbol). <paramref name="decimalComma"/> says
    /// whether ',' is the decimal separator (and '.' groups thousands).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, bool decimalComma, out double value, out NumberTraits traits, out char currency)
    {
        value = 0;
        traits = NumberTraits.None;
        currency = '\0';
        var s = Trim(text);
        if (s.IsEmpty || s.Length > MaxLength) return false;

        var negative = false;
        if (s.Length > 2 && s[0] == '(' && s[^1] == ')')
        {
            negative = true;
            traits |= NumberTraits.Parenthesized;
            s = Trim(s[1..^1]);
        }

        // Sign and currency symbol in either order before the digits: -$12, $-12, € 12.
        var signSeen = negative;
        while (!s.IsEmpty)
        {
            var c = s[0];
            if (!signSeen && c is '-' or '\u2212') { negative = true; signSeen = true; }
            else if (!signSeen && c == '+') signSeen = true;
            else if (currency == '\0' && IsCurrency(c)) currency = c;
            else if (currency != '\0' && MissingValues.IsBlank(c)) { }
            else break;
            s = s[1..];
        }

        // Percent sign and currency symbol after the digits: 12,5 %, 12 €, 12.5%.
        while (!s.IsEmpty)
        {
            var c = s[^1];
            if ((traits & NumberTraits.Percent) == 0 && c == '%') traits |= NumberTraits.Percent;
            else if (currency == '\0' && IsCurrency(c)) currency = c;
            else if (MissingValues.IsBlank(c)) { }
            else break;
            s = s[..^1];
        }

        if (s.IsEmpty || !ParseDigits(s, decimalComma, ref traits, out value)) return false;
        if (negative) value = -value;
        return true;
    }

    /// <summary>
    /// What the separators of a number-like text say about the decimal separator: "1.234,5", "12,5" and "1.234.567"
    /// show a decimal comma; "1,234.5", "12.5" and "1,234,567" a decimal point; "1,234" or "1.234" alone say nothing.
    /// </summary>
    public static DecimalEvidence Evidence(ReadOnlySpan<char> text)
    {
        var s = text;
        int commas = 0, dots = 0, lastComma = -1, lastDot = -1, digits = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c)) digits++;
            else if (c == ',') { commas++; lastComma = i; }
            else if (c == '.') { dots++; lastDot = i; }
            else if (!(c is '-' or '+' or '(' or ')' or '%' or '\u2212' || IsCurrency(c) || MissingValues.IsBlank(c))) return DecimalEvidence.None;
        }
        if (digits == 0) return DecimalEvidence.None;
        if (commas > 0 && dots > 0) return lastComma > lastDot ? DecimalEvidence.Comma : DecimalEvidence.Dot;
        if (commas > 1) return DecimalEvidence.Dot;
        if (dots > 1) return DecimalEvidence.Comma;
        if (commas == 1) return DigitsAfter(s, lastComma) == 3 ? DecimalEvidence.None : DecimalEvidence.Comma;
        if (dots == 1) return DigitsAfter(s, lastDot) == 3 ? DecimalEvidence.None : DecimalEvidence.Dot;
        return DecimalEvidence.None;
    }

    public static bool IsCurrency(char c) => c is '$' or '€' or '£' or '¥' or '₹' or '₩' or '₽' or '₺' or '₪' or '₫' or '¢' or '₱' or '₴' or '₦';

    static int DigitsAfter(ReadOnlySpan<char> s, int position)
    {
        var n = 0;
        for (var i = position + 1; i < s.Length && char.IsAsciiDigit(s[i]); i++) n++;
        return n;
    }

    static ReadOnlySpan<char> Trim(ReadOnlySpan<char> s)
    {
        int start = 0, end = s.Length;
        while (start < end && MissingValues.IsBlank(s[start])) start++;
        while (end > start && MissingValues.IsBlank(s[end - 1])) end--;
        return s[start..end];
    }

    /// <summary>Digits with thousands groups of three, one decimal separator and an exponent.</summary>
    static bool ParseDigits(ReadOnlySpan<char> s, bool decimalComma, ref NumberTraits traits, out double value)
    {
        value = 0;
        Span<char> clean = stackalloc char[MaxLength];
        var scan = new DigitScan();
        if (!Scan(s, decimalComma, clean, ref scan)) return false;
        if (scan.MantissaDigits == 0 || (scan.InExponent && !scan.ExponentDigits)) return false;
        if (scan.Groups > 0 && !scan.InFraction && !scan.InExponent && scan.GroupLength != 3) return false;

        if (scan.Groups > 0) traits |= NumberTraits.Grouped;
        if (scan.InFraction) traits |= NumberTraits.DecimalSeparator;
        if (scan.InExponent) traits |= NumberTraits.Exponent;
        if (clean[0] == '0' && scan.Length > 1 && char.IsAsciiDigit(clean[1])) traits |= NumberTraits.LeadingZero;
        // Clinger's fast path: a mantissa below 2^53 and a power of ten up to 10^22 are both exact doubles, so one
        // correctly rounded division gives exactly what double.TryParse gives, at a fraction of its cost.
        if (!scan.InExponent && scan.MantissaDigits <= ExactDigits)
        {
            value = scan.FractionDigits == 0 ? scan.Mantissa : scan.Mantissa / ExactPowersOfTen[scan.FractionDigits];
            return true;
        }
        return double.TryParse(clean[..scan.Length], NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>What <see cref="Scan"/> found in a number's characters.</summary>
    struct DigitScan
    {
        public ulong Mantissa; // the first ExactDigits digits, as a whole number
        public int MantissaDigits, FractionDigits, Groups, GroupLength, Length;
        public bool InFraction, InExponent, ExponentDigits;
        public char UsedGroup;
    }

    /// <summary>Reads the characters, copying the number without its groups into <paramref name="clean"/> (for double.TryParse).</summary>
    static bool Scan(ReadOnlySpan<char> s, bool decimalComma, Span<char> clean, ref DigitScan d)
    {
        var decimalChar = decimalComma ? ',' : '.';
        var groupChar = decimalComma ? '.' : ',';
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c))
            {
                clean[d.Length++] = c;
                if (d.InExponent) d.ExponentDigits = true;
                else
                {
                    d.MantissaDigits++;
                    if (d.MantissaDigits <= ExactDigits) d.Mantissa = d.Mantissa * 10 + (ulong)(c - '0');
                    if (d.InFraction) d.FractionDigits++;
                    else d.GroupLength++;
                }
            }
            else if (!d.InFraction && !d.InExponent && IsGroupSeparator(c, groupChar, decimalComma))
            {
                // Thousands groups: 1 to 3 digits first, then exactly 3 each; one kind of separator (spaces may mix).
                var kind = MissingValues.IsBlank(c) ? ' ' : c;
                if (d.UsedGroup != '\0' && d.UsedGroup != kind) return false;
                if (d.GroupLength == 0 || d.GroupLength > 3 || (d.Groups > 0 && d.GroupLength != 3)) return false;
                d.UsedGroup = kind;
                d.Groups++;
                d.GroupLength = 0;
            }
            else if (c == decimalChar && !d.InFraction && !d.InExponent)
            {
                if (d.Groups > 0 && d.GroupLength != 3) return false;
                d.InFraction = true;
                clean[d.Length++] = '.';
            }
            else if (c is 'e' or 'E' && !d.InExponent && d.MantissaDigits > 0)
            {
                if (d.Groups > 0 && !d.InFraction && d.GroupLength != 3) return false;
                d.InExponent = true;
                clean[d.Length++] = 'e';
                if (i + 1 < s.Length && s[i + 1] is '+' or '-') clean[d.Length++] = s[++i];
            }
            else return false;
        }
        return true;
    }

    /// <summary>Digits that always fit a double's 53-bit mantissa exactly.</summary>
    const int ExactDigits = 15;

    static readonly double[] ExactPowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    static bool IsGroupSeparator(char c, char groupChar, bool decimalComma) =>
        c == groupChar || c is ' ' or '\u00A0' or '\u202F' or '\u2009' || (!decimalComma && c == '\'');
}
