namespace ChartCraft.Features.Upload.Inference;

/// <summary>
/// Short values that a person reads as free text, not as labels to group by: people's names ("Ada Lovelace",
/// "Smith, John") and street addresses ("221B Baker Street"). A column of them is mostly distinct; state names,
/// countries, product categories and cities that repeat are not shaped like them or not distinct enough.
/// </summary>
public static class NameAndAddressText
{
    /// <summary>Distinct values looked at: the shape of a column shows in its first few hundred.</summary>
    const int SampleValues = 500;

    static readonly HashSet<string> StreetWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "way", "court", "ct",
        "place", "pl", "terrace", "highway", "hwy", "parkway", "pkwy", "square", "sq", "circle", "cir", "trail", "crescent", "close",
        "alley", "route", "pike", "row", "walk", "strasse", "straße", "rue", "via", "calle", "weg", "gasse", "platz", "laan", "gata",
    };

    /// <summary>Lower-case words inside names: Ludwig van Beethoven, Leonardo da Vinci.</summary>
    static readonly HashSet<string> Particles = ["van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "bin", "al", "ter", "y"];

    static readonly HashSet<string> Suffixes = new(StringComparer.OrdinalIgnoreCase) { "jr", "sr", "ii", "iii", "iv", "phd", "md" };

    /// <summary>
    /// Common given names, for columns of first names only ("Alan", "George"): one word is otherwise no evidence of a
    /// person, since most state and country names are one word too.
    /// </summary>
    static readonly HashSet<string> GivenNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "james", "john", "robert", "michael", "william", "will", "david", "richard", "rick", "joseph", "thomas", "tom", "charles",
        "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven", "steve", "paul", "andrew", "joshua", "kenneth",
        "kevin", "brian", "george", "edward", "ronald", "timothy", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "nick",
        "eric", "jonathan", "stephen", "larry", "justin", "scott", "brandon", "benjamin", "ben", "samuel", "sam", "frank", "gregory",
        "raymond", "alexander", "patrick", "jack", "dennis", "jerry", "tyler", "aaron", "henry", "adam", "peter", "alan", "fred",
        "frederick", "harry", "bob", "jim", "joe", "mike", "dave", "tony", "cole", "max", "leo", "oliver", "noah", "liam", "lucas",
        "ethan", "mason", "logan", "carlos", "juan", "luis", "jose", "ahmed", "mohammed", "ali", "omar", "wei", "hiroshi", "raj",
        "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy", "lisa",
        "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna", "michelle", "dorothy", "carol", "amanda", "melissa",
        "deborah", "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy", "shirley", "angela", "helen", "anna",
        "anne", "ann", "brenda", "pamela", "nicole", "emma", "samantha", "katherine", "kate", "christine", "debra", "rachel",
        "catherine", "carolyn", "janet", "ruth", "maria", "heather", "diane", "julie", "joyce", "victoria", "kelly", "christina",
        "lauren", "joan", "evelyn", "olivia", "judith", "megan", "cheryl", "martha", "andrea", "frances", "hannah", "jacqueline",
        "ada", "grace", "alice", "sophia", "sophie", "mia", "isabella", "ava", "chloe", "lucy", "ella", "zoe", "fatima", "mei", "yuki",
    };

    /// <summary>
    /// Whether the column's distinct values are people's names (under a header that names people, see
    /// <see cref="ColumnNameHints.SaysPerson"/>) or street addresses, for 80 % of them.
    /// </summary>
    /// <param name="values">The column's distinct values.</param>
    public static bool AreNamesOrAddresses(string name, IEnumerable<string> values)
    {
        var sample = values.Take(SampleValues).ToList();
        if (sample.Count < 3) return false;
        var addresses = sample.Count(v => IsStreetAddress(v));
        if (addresses * 10 >= sample.Count * 8 || ColumnNameHints.SaysAddress(name) && addresses * 2 >= sample.Count) return true;
        return ColumnNameHints.SaysPerson(name) && sample.Count(IsPersonName) * 10 >= sample.Count * 8;
    }

    /// <summary>
    /// 2–5 capitalized words without digits ("Ada Lovelace", "Smith, John", "J. R. R. Tolkien", "Ludwig van Beethoven",
    /// "George III"), or one common given name ("Alan").
    /// </summary>
    public static bool IsPersonName(string value)
    {
        var words = value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1) return GivenNames.Contains(words[0]);
        if (words.Length > 5 || value.Length > 60) return false;
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i].TrimEnd('.');
            if (i > 0 && Suffixes.Contains(word)) continue;
            if (i > 0 && i < words.Length - 1 && Particles.Contains(word)) continue;
            if (!IsCapitalizedWord(word)) return false;
        }
        return true;
    }

    /// <summary>A capital letter, then letters, apostrophes or hyphens: Ada, O'Brien, Smith-Jones, McDonald, an initial "J".</summary>
    static bool IsCapitalizedWord(string word)
    {
        if (word.Length == 0 || !char.IsUpper(word[0])) return false;
        foreach (var c in word)
            if (!char.IsLetter(c) && c is not ('\'' or '’' or '-')) return false;
        return true;
    }

    /// <summary>
    /// A house number and a street word: "221B Baker Street", "1600 Pennsylvania Ave NW", "12-14 Rue de Rivoli", or the
    /// number after the street as in much of Europe: "Hauptstraße 5".
    /// </summary>
    public static bool IsStreetAddress(string value)
    {
        var words = value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2 || value.Length > 120) return false;
        var numberFirst = IsHouseNumber(words[0]);
        var numberAfter = Array.FindIndex(words, 1, IsHouseNumber) is var at and > 0 && words[..at].Any(IsStreetWord);
        return numberFirst && words.Skip(1).Any(IsStreetWord) || numberAfter;
    }

    static bool IsStreetWord(string word)
    {
        var bare = word.TrimEnd('.');
        return StreetWords.Contains(bare) || bare.EndsWith("straße", StringComparison.OrdinalIgnoreCase) ||
               bare.EndsWith("strasse", StringComparison.OrdinalIgnoreCase) || bare.EndsWith("weg", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>1 to 5 digits, maybe a letter or a range: 12, 221B, 12-14.</summary>
    static bool IsHouseNumber(string word)
    {
        var digits = 0;
        while (digits < word.Length && char.IsAsciiDigit(word[digits])) digits++;
        if (digits is 0 or > 5) return false;
        var rest = word.AsSpan(digits);
        return rest.IsEmpty || rest.Length == 1 && char.IsAsciiLetter(rest[0]) || rest[0] == '-' && rest.Length > 1 && int.TryParse(rest[1..], out _);
    }
}
