namespace ChartCraft.Features.Upload.Inference;

/// <summary>Recognizes values shaped like identifiers: UUIDs and codes such as ORD-00017 or A12B.</summary>
public static class IdentifierText
{
    /// <summary>A UUID with or without hyphens or braces: 3f2504e0-4f89-11d3-9a0c-0305e82c3301.</summary>
    public static bool IsUuid(ReadOnlySpan<char> s) => s.Length is 32 or 36 or 38 && Guid.TryParse(s, out _);

    /// <summary>One token of 2–64 letters, digits and - _ . : # / with at least one digit: INV-2024-0001, A12, 0042.</summary>
    public static bool LooksLikeIdentifier(ReadOnlySpan<char> s)
    {
        if (s.Length is < 2 or > 64) return false;
        var digit = false;
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c)) digit = true;
            else if (!char.IsAsciiLetter(c) && c is not ('-' or '_' or '.' or ':' or '#' or '/')) return false;
        }
        return digit;
    }

    /// <summary>A short upper-case code: ATL, LHR, EGLL, K2. Unique over many rows, these identify rows (airports, tickers).</summary>
    public static bool IsCode(ReadOnlySpan<char> s)
    {
        if (s.Length is < 2 or > 5 || !char.IsAsciiLetterUpper(s[0])) return false;
        foreach (var c in s)
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c)) return false;
        return true;
    }
}
