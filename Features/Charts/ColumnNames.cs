using System.Text;

namespace ChartCraft.Features.Charts;

/// <summary>Reads meaning from column headers: the words in them and the roles they hint at (ids, years).</summary>
public static class ColumnNames
{
    /// <summary>Lower-case words of a header: "Cost Total $" → cost, total; "avgPrice_usd" → avg, price, usd.</summary>
    public static IReadOnlyList<string> Words(string name)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            if (!char.IsLetterOrDigit(ch))
            {
                Flush();
                continue;
            }
            // A capital after a lower-case letter starts a word (camelCase).
            if (char.IsUpper(ch) && i > 0 && char.IsLower(name[i - 1])) Flush();
            current.Append(char.ToLowerInvariant(ch));
        }
        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0) words.Add(current.ToString());
            current.Clear();
        }
    }

    /// <summary>"id", "item_id", "CustomerID", "key", "index", "uuid": values that name rows rather than measure them.</summary>
    public static bool LooksLikeId(string name)
    {
        var words = Words(name);
        if (words.Count == 0) return false;
        var last = words[^1];
        return last is "id" or "ids" or "uid" or "uuid" or "guid" or "key" or "index" or "idx"
               || (words.Count >= 2 && words[^2] is "row" or "record" && last is "number" or "no" or "num");
    }

    /// <summary>"year", "yr", "season": integer columns that are points in time.</summary>
    public static bool LooksLikeYear(string name) =>
        Words(name).Any(w => w is "year" or "years" or "yr" or "season");
}
