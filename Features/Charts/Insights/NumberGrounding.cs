using System.Globalization;
using System.Text.RegularExpressions;
using ChartCraft.Features.Charts.Aggregation;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>A number written in a text, with how precisely the text states it.</summary>
/// <param name="Text">The characters as written ("$1.2M", "24.9%").</param>
/// <param name="Value">The value meant (1,200,000; 24.9).</param>
/// <param name="Tolerance">Half a unit of the last digit shown: any value this close rounds to the text.</param>
/// <param name="IsPercent">Written with % or "percent".</param>
public sealed record NumberMention(string Text, double Value, double Tolerance, bool IsPercent);

/// <summary>The outcome of a grounding check: every number found, and those no fact or label supports.</summary>
public sealed record GroundingReport(IReadOnlyList<NumberMention> Mentions, IReadOnlyList<NumberMention> Ungrounded)
{
    public bool IsGrounded => Ungrounded.Count == 0;
}

/// <summary>
/// Checks that every number in a text comes from the facts: a number is grounded when it is one of
/// the facts' figures rounded the way the text shows it (24.87 may be written 24.9 or 25, 1,234,567
/// as 1.23M), or when it is written in a label or name the chart shows (years, "Q1", "Top 10").
/// Used to reject language-model answers that invent numbers.
/// </summary>
public static partial class NumberGrounding
{
    // sign? currency? number (grouped thousands | plain | .5) then a magnitude suffix or word, then %.
    [GeneratedRegex(
        @"(?<sign>[-−])?(?<currency>[$€£¥])?(?<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)" +
        @"(?:(?<suffix>bn|mn|[kmbt])(?![\p{L}\d])|\s(?<word>thousand|million|billion|trillion)\b)?" +
        @"(?<percent>\s?%|\s(?:percent|per\s?cent)\b)?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    // "R²" written as R^2 or R2 is a name, not the number 2.
    [GeneratedRegex(@"\b[Rr]\s?\^\s?2\b|\b[Rr]2\b", RegexOptions.CultureInvariant)]
    private static partial Regex RSquaredPattern();

    /// <summary>Every number in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<NumberMention> Extract(string text)
    {
        var cleaned = RSquaredPattern().Replace(text, "R²");
        var mentions = new List<NumberMention>();
        foreach (Match m in NumberPattern().Matches(cleaned))
        {
            var digits = m.Groups["number"].Value;
            if (!double.TryParse(digits.Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) continue;
            var multiplier = Multiplier(m.Groups["suffix"].Value, m.Groups["word"].Value);
            var decimals = digits.Contains('.') ? digits.Length - digits.IndexOf('.') - 1 : 0;
            var unit = Math.Pow(10, -decimals);
            // A whole number written with separators or large enough ("12,000", "1,200") is often rounded
            // to its trailing zeros; a 4-digit year or a small count is taken as exact.
            if (decimals == 0 && (digits.Contains(',') || number >= 10_000 || multiplier > 1))
            {
                var integer = digits.Replace(",", "").TrimStart('0');
                var zeros = integer.Length - integer.TrimEnd('0').Length;
                if (multiplier == 1) unit = Math.Pow(10, zeros);
            }
            // A minus glued to a letter or digit is a hyphen or a range ("2024-01", "Q1-Q2"), not a sign.
            var signed = m.Groups["sign"].Success && (m.Index == 0 || !char.IsLetterOrDigit(cleaned[m.Index - 1]));
            var value = number * multiplier * (signed ? -1 : 1);
            mentions.Add(new NumberMention(m.Value.Trim(), value, unit * multiplier / 2, m.Groups["percent"].Success));
        }
        return mentions;
    }

    /// <summary>
    /// Checks every number of <paramref name="text"/> against the facts' figures and labels and the
    /// extra <paramref name="names"/> (chart labels, series names, columns, title).
    /// </summary>
    public static GroundingReport Check(string text, IReadOnlyList<InsightFact> facts, IEnumerable<string>? names = null)
    {
        var figures = facts.SelectMany(f => f.Figures.Values.Append(f.Value)).Where(double.IsFinite).Select(Math.Abs).Distinct().ToList();
        var written = facts.SelectMany(f => f.Labels.Append(f.Series ?? ""))
            .Concat(names ?? [])
            .SelectMany(Extract)
            .Select(m => Math.Abs(m.Value))
            .ToHashSet();
        var mentions = Extract(text);
        var ungrounded = mentions.Where(m => !Supported(m, figures, written)).ToList();
        return new GroundingReport(mentions, ungrounded);
    }

    /// <summary>True when every number in every text is grounded.</summary>
    public static bool IsGrounded(IEnumerable<string> texts, IReadOnlyList<InsightFact> facts, IEnumerable<string>? names = null)
    {
        var nameList = names?.ToList() ?? [];
        return texts.All(t => Check(t, facts, nameList).IsGrounded);
    }

    /// <summary>The names a chart shows, whose numbers a text may repeat: labels, series, columns, title.</summary>
    public static IEnumerable<string> NamesOf(AggregatedChart chart, string? title = null)
    {
        foreach (var label in chart.Labels) yield return label;
        foreach (var series in chart.Series) yield return series.Name;
        foreach (var point in chart.Points ?? []) if (point.Label is { } label) yield return label;
        yield return chart.XColumn;
        yield return chart.Measure;
        if (chart.YColumn is { } y) yield return y;
        if (title is not null) yield return title;
    }

    static bool Supported(NumberMention mention, IReadOnlyList<double> figures, HashSet<double> written)
    {
        var value = Math.Abs(mention.Value);
        if (written.Contains(value)) return true;
        var slack = mention.Tolerance + 1e-9 * Math.Max(1, value);
        foreach (var figure in figures)
        {
            if (Math.Abs(figure - value) <= slack) return true;
            // A ratio such as R² = 0.76 may be written as 76%.
            if (mention.IsPercent && Math.Abs(figure * 100 - value) <= slack) return true;
        }
        return false;
    }

    static double Multiplier(string suffix, string word) => (suffix.ToLowerInvariant(), word.ToLowerInvariant()) switch
    {
        ("k", _) or (_, "thousand") => 1e3,
        ("m", _) or ("mn", _) or (_, "million") => 1e6,
        ("b", _) or ("bn", _) or (_, "billion") => 1e9,
        ("t", _) or (_, "trillion") => 1e12,
        _ => 1,
    };
}
