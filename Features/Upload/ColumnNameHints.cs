using System.Globalization;
using System.Text;

namespace ChartCraft.Features.Upload;

/// <summary>
/// What a column's header says about its values, for the cases where values alone mislead:
/// 1850 is a count or a year, 0/1 a number or a flag, 1..n a quantity or an identifier.
/// </summary>
public static class ColumnNameHints
{
    static readonly HashSet<string> YearWords = ["year", "years", "yr", "yrs", "yyyy", "jahr", "annee", "ano", "anio", "anno", "jaar", "vuosi"];
    static readonly HashSet<string> TimeWords = ["date", "period", "datum", "fecha", "season", "vintage"];
    static readonly HashSet<string> BooleanPrefixes = ["is", "has", "have", "can", "was", "did", "does", "should", "will", "allow", "allows"];
    static readonly HashSet<string> BooleanWords =
        ["flag", "active", "enabled", "disabled", "deleted", "visible", "hidden", "valid", "verified", "approved", "completed", "paid",
         "churned", "converted", "subscribed", "selected", "available", "bool", "boolean", "yn"];
    static readonly HashSet<string> PersonWords =
        ["customer", "client", "employee", "person", "people", "author", "contact", "manager", "owner", "player", "member", "user",
         "student", "patient", "driver", "artist", "director", "actor", "buyer", "seller", "agent", "rep", "salesperson", "staff",
         "teacher", "speaker", "candidate", "recipient", "sender", "passenger", "guest", "surname", "firstname", "lastname", "fullname"];
    static readonly HashSet<string> AddressWords = ["address", "street", "addr", "address1", "address2"];
    static readonly HashSet<string> IdWords = ["id", "ids", "uid", "key", "code", "uuid", "guid", "identifier", "sku", "ref", "pk", "index", "idx"];

    /// <summary>"Year", "fiscal_yr", "Jahr", "Année": a column of 4-digit numbers under it holds years.</summary>
    public static bool SaysYear(string name) => Words(name).Any(YearWords.Contains);

    /// <summary>"date", "period": a column of 4-digit numbers under it holds years too ("time" is left out: 1830 may be a clock time).</summary>
    public static bool SaysTime(string name) => Words(name).Any(TimeWords.Contains);

    /// <summary>"is_active", "hasChildren", "deleted_flag": 0 and 1 under it are false and true.</summary>
    public static bool SaysBoolean(string name)
    {
        var words = Words(name);
        return words.Count > 0 && (BooleanPrefixes.Contains(words[0]) && words.Count > 1 || BooleanWords.Contains(words[^1]));
    }

    /// <summary>"id", "customerId", "order_key", "zip code", "row number": unique values under it identify rows.</summary>
    public static bool SaysIdentifier(string name)
    {
        var words = Words(name);
        return words.Count > 0 && (IdWords.Contains(words[^1])
                                   || words.Count >= 2 && words[^2] is "row" or "record" && words[^1] is "number" or "no" or "num");
    }

    /// <summary>
    /// "name", "full name", "Customer", "employee_name": a column of people's names. "name" alone counts too, so the values
    /// must look like names as well (product, state or country names do not).
    /// </summary>
    public static bool SaysPerson(string name)
    {
        var words = Words(name);
        return words.Any(PersonWords.Contains) || words is ["name"] or ["full" or "first" or "last" or "given" or "family", "name"];
    }

    /// <summary>"address", "Street", "shipping_address": a column of street addresses.</summary>
    public static bool SaysAddress(string name) => Words(name).Any(AddressWords.Contains);

    /// <summary>The lower-case, accent-free words of a header: "customerID" → customer, id; "Année fiscale" → annee, fiscale.</summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>(4);
        var word = new StringBuilder();
        var folded = name.Normalize(NormalizationForm.FormD);
        for (var i = 0; i < folded.Length; i++)
        {
            var c = folded[i];
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
                continue;
            }
            // camelCase and PascalCase boundaries: customerId, CustomerID, HTTPStatus.
            if (char.IsUpper(c) && word.Length > 0 &&
                (char.IsLower(folded[i - 1]) || i + 1 < folded.Length && char.IsLower(folded[i + 1]) && char.IsUpper(folded[i - 1])))
                Flush();
            word.Append(char.ToLowerInvariant(c));
        }
        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
        }
    }
}
