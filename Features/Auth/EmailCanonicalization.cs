using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChartCraft.Features.Auth;

/// <summary>
/// The one canonical form of an e-mail address, used wherever an account is looked up or made unique
/// (register, login, the start-up key migration). Two inputs that a person would read as the same address
/// get the same key, or one of them is refused: an account can no longer be claimed through a look-alike.
/// </summary>
public static partial class EmailCanonicalization
{
    public const string InvisibleCharacterMessage =
        "must not contain invisible, formatting or direction-control characters (zero-width spaces, soft hyphens, byte-order or right-to-left marks)";
    public const string NonAsciiMessage =
        "must be written in ASCII letters, digits and punctuation: internationalised addresses (accented or non-Latin letters, look-alike characters such as Cyrillic 'а') are not accepted";
    public const string InvalidFormatMessage = "must be a valid email address";
    public const string TooLongMessage = "must be at most 254 characters";

    /// <summary>RFC 5321 path limit.</summary>
    public const int MaxLength = 254;

    /// <summary>An address as a person typed it, after trimming and NFKC (fullwidth letters and the Kelvin sign become ASCII).</summary>
    /// <param name="Display">What the account shows: NFKC form with the typed case kept.</param>
    /// <param name="Key">The unique key: <paramref name="Display"/> lower-cased (invariant).</param>
    public sealed record Canonical(string Display, string Key);

    /// <summary>The canonical form, or the reason (a validation message for the <c>email</c> field) it is refused.</summary>
    public static (Canonical? Address, string? Error) Canonicalize(string? input)
    {
        var trimmed = (input ?? "").Trim();
        if (trimmed.Length == 0) return (null, InvalidFormatMessage);
        if (trimmed.Length > MaxLength * 4) return (null, TooLongMessage); // NFKC merges at most a few characters into one: this can never fit

        // Refused rather than stripped: stripping would still let "ka\u200Bte@" claim "kate@" silently, and a
        // client that sends one of these has a bug or an intent worth seeing.
        if (trimmed.Any(IsInvisibleOrControl)) return (null, InvisibleCharacterMessage);

        string display;
        try
        {
            // NFKC folds compatibility forms: fullwidth "ａ" → "a", Kelvin sign "K" → "K", ligatures "ﬁ" → "fi".
            display = trimmed.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return (null, NonAsciiMessage); // a lone surrogate: not text, and not ASCII either
        }
        if (display.Any(IsInvisibleOrControl)) return (null, InvisibleCharacterMessage);

        // After NFKC, anything outside printable ASCII is a letter from another script or a symbol. Mixed-script
        // detection (Latin + Cyrillic "а") needs confusable tables and still misses whole-script look-alikes;
        // newsletter writers' addresses are ASCII in practice, so ASCII is the rule and the message says so.
        if (!display.All(c => c is >= ' ' and <= '~')) return (null, NonAsciiMessage);
        if (display.Length > MaxLength) return (null, TooLongMessage);
        if (!Shape().IsMatch(display)) return (null, InvalidFormatMessage);

        return (new Canonical(display, display.ToLowerInvariant()), null);
    }

    /// <summary>The unique key for <paramref name="input"/>, or null when the address is refused.</summary>
    public static string? KeyOf(string? input) => Canonicalize(input).Address?.Key;

    /// <summary>Format (Cf: zero-width, soft hyphen, BOM, bidi marks and overrides) and control (Cc) characters.</summary>
    static bool IsInvisibleOrControl(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.Control;

    /// <summary>One @, something before it, a dotted domain after it, no spaces.</summary>
    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")]
    private static partial Regex Shape();
}

public static class EmailValidationRules
{
    /// <summary>The <c>email</c> field has a canonical form; the failure message says why not.</summary>
    public static void MustBeACanonicalEmail<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Custom((email, context) =>
        {
            if (EmailCanonicalization.Canonicalize(email).Error is { } error) context.AddFailure(error);
        });
}
