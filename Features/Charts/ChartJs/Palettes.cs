using System.Globalization;
using System.Text.RegularExpressions;

namespace ChartCraft.Features.Charts.ChartJs;

/// <summary>An sRGB colour parsed from #rgb, #rrggbb or rgb(r, g, b).</summary>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    public string Hex => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>"rgba(r, g, b, a)" for fills drawn under a line or over other bars.</summary>
    public string WithAlpha(double alpha) =>
        string.Create(CultureInfo.InvariantCulture, $"rgba({R}, {G}, {B}, {alpha:0.##})");

    /// <summary>WCAG 2 relative luminance.</summary>
    public double Luminance => 0.2126 * Linear(R) + 0.7152 * Linear(G) + 0.0722 * Linear(B);

    static double Linear(byte channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    public static RgbColor FromHsl(double hue, double saturation, double lightness)
    {
        hue = ((hue % 360) + 360) % 360;
        var c = (1 - Math.Abs(2 * lightness - 1)) * saturation;
        var x = c * (1 - Math.Abs(hue / 60 % 2 - 1));
        var m = lightness - c / 2;
        var (r, g, b) = (int)(hue / 60) switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new RgbColor(ToByte(r + m), ToByte(g + m), ToByte(b + m));
    }

    /// <summary>Linear blend towards <paramref name="other"/> by <paramref name="t"/> (0..1).</summary>
    public RgbColor Mix(RgbColor other, double t) =>
        new(ToByte((R + (other.R - R) * t) / 255.0), ToByte((G + (other.G - G) * t) / 255.0), ToByte((B + (other.B - B) * t) / 255.0));

    /// <summary>CIE76 distance in CIELAB: about 2.3 is barely noticeable; adjacent series want well over 10.</summary>
    public double DistanceTo(RgbColor other)
    {
        var (l1, a1, b1) = Lab();
        var (l2, a2, b2) = other.Lab();
        return Math.Sqrt((l1 - l2) * (l1 - l2) + (a1 - a2) * (a1 - a2) + (b1 - b2) * (b1 - b2));
    }

    (double L, double A, double B) Lab()
    {
        double r = Linear(R), g = Linear(G), b = Linear(B);
        // sRGB → XYZ (D65), normalised by the white point.
        var x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        var y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        var z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : (24389.0 / 27 * t + 16) / 116;
        double fx = F(x), fy = F(y), fz = F(z);
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    static byte ToByte(double unit) => (byte)Math.Clamp(Math.Round(unit * 255), 0, 255);
}

/// <summary>The colours of a chart's surroundings for a theme; text colours meet WCAG AA (4.5:1) on the background.</summary>
public sealed record ChartTheme(string Name, string Background, string Text, string MutedText, string Grid);

/// <summary>
/// Named colour schemes and request-supplied colour lists, stretched to any number of series so that
/// neighbouring series stay distinguishable, and theme colours whose text is readable (WCAG AA).
/// </summary>
public static partial class Palettes
{
    public const string Blue = "blue";
    public const string Green = "green";
    public const string Orange = "orange";
    public const string Purple = "purple";
    public const string Categorical = "categorical";
    public const string Viridis = "viridis";
    public const string Monochrome = "monochrome";

    public static readonly IReadOnlyList<string> Names = [Categorical, Blue, Green, Orange, Purple, Viridis, Monochrome];

    /// <summary>WCAG 2 AA minimum contrast for normal-size text.</summary>
    public const double MinTextContrast = 4.5;

    // Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies.
    // Black is left out: it vanishes on the dark theme and reads as text on the light one.
    static readonly RgbColor[] OkabeIto =
        [Rgb(0x00, 0x72, 0xB2), Rgb(0xE6, 0x9F, 0x00), Rgb(0x00, 0x9E, 0x73), Rgb(0xD5, 0x5E, 0x00),
         Rgb(0x56, 0xB4, 0xE9), Rgb(0xCC, 0x79, 0xA7), Rgb(0xF0, 0xE4, 0x42)];

    // Sequential ramps, light to dark; sampled evenly for n series.
    static readonly Dictionary<string, RgbColor[]> Ramps = new()
    {
        [Blue] = [Rgb(0x9e, 0xca, 0xe1), Rgb(0x42, 0x92, 0xc6), Rgb(0x08, 0x45, 0x94)],
        [Green] = [Rgb(0xa1, 0xd9, 0x9b), Rgb(0x41, 0xab, 0x5d), Rgb(0x00, 0x5a, 0x32)],
        [Orange] = [Rgb(0xfd, 0xbe, 0x85), Rgb(0xf1, 0x69, 0x13), Rgb(0x8c, 0x2d, 0x04)],
        [Purple] = [Rgb(0xbc, 0xbd, 0xdc), Rgb(0x80, 0x7d, 0xba), Rgb(0x4a, 0x14, 0x86)],
        // viridis (van der Walt & Smith), perceptually uniform; anchors at 0, .25, .5, .75, 1.
        [Viridis] = [Rgb(0x44, 0x01, 0x54), Rgb(0x3b, 0x52, 0x8b), Rgb(0x21, 0x91, 0x8c), Rgb(0x5e, 0xc9, 0x62), Rgb(0xfd, 0xe7, 0x25)],
        [Monochrome] = [Rgb(0xbd, 0xbd, 0xbd), Rgb(0x73, 0x73, 0x73), Rgb(0x25, 0x25, 0x25)],
    };

    /// <summary>Light: white background. Dark: #1e1e1e, the usual dark editor/dashboard surface.</summary>
    public static ChartTheme Theme(string? name)
    {
        var dark = string.Equals(name, "dark", StringComparison.OrdinalIgnoreCase);
        var background = dark ? "#1e1e1e" : "#ffffff";
        return new ChartTheme(
            dark ? "dark" : "light",
            background,
            ReadableText(background, dark ? ["#e6e6e6", "#ffffff"] : ["#222222", "#000000"]),
            ReadableText(background, dark ? ["#a8a8a8", "#bbbbbb", "#e6e6e6"] : ["#5f5f5f", "#555555", "#222222"]),
            dark ? "rgba(255, 255, 255, 0.12)" : "rgba(0, 0, 0, 0.1)");
    }

    /// <summary>The first candidate with at least 4.5:1 contrast on the background, else black or white, whichever is higher.</summary>
    public static string ReadableText(string background, IEnumerable<string> candidates)
    {
        foreach (var candidate in candidates)
            if (ContrastRatio(candidate, background) >= MinTextContrast) return candidate;
        return ContrastRatio("#000000", background) >= ContrastRatio("#ffffff", background) ? "#000000" : "#ffffff";
    }

    /// <summary>WCAG 2 contrast ratio (1..21) between two colours.</summary>
    public static double ContrastRatio(string foreground, string background)
    {
        var a = Parse(foreground).Luminance;
        var b = Parse(background).Luminance;
        return (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);
    }

    /// <summary>
    /// <paramref name="count"/> colours (#rrggbb) for the scheme; categorical when none is given.
    /// Throws 422 for an unknown palette name or a malformed colour.
    /// </summary>
    public static IReadOnlyList<string> Resolve(ColorScheme? scheme, int count)
    {
        if (count <= 0) return [];
        Validate(scheme ?? ColorScheme.Named(Categorical));
        IReadOnlyList<RgbColor> colors = scheme?.Colors is { Count: > 0 } list
            ? Extend(list.Select(Parse).ToArray(), count)
            : (scheme?.Name?.ToLowerInvariant() ?? Categorical) switch
            {
                Categorical => CategoricalColors(count),
                var name => Ramp(Ramps[name], count),
            };
        return colors.Select(c => c.Hex).ToList();
    }

    /// <summary>The longest colour list a chart may carry.</summary>
    public const int MaxColors = 64;

    /// <summary>422 naming the bad value when the scheme is an unknown name, holds a malformed colour or too many.</summary>
    public static void Validate(ColorScheme scheme)
    {
        if (scheme.Colors is { } colors)
        {
            if (colors.Count == 0)
                throw ChartRequestValidation.Problem("config.color_scheme", "color_scheme is an empty list; give colours or a palette name");
            // The list is stored with the chart and returned by every read; colours past the series count repeat anyway.
            if (colors.Count > MaxColors)
                throw ChartRequestValidation.Problem("config.color_scheme",
                    $"color_scheme holds {colors.Count} colours; at most {MaxColors} are allowed");
            foreach (var c in colors)
                if (!TryParse(c, out _))
                    throw ChartRequestValidation.Problem("config.color_scheme",
                        $"color_scheme: '{c}' is not a colour; use #rgb, #rrggbb or rgb(r, g, b)");
            return;
        }
        if (scheme.Name is null || !Names.Contains(scheme.Name.ToLowerInvariant()))
            throw ChartRequestValidation.Problem("config.color_scheme",
                $"color_scheme '{scheme.Name}' is not a palette; use one of: {string.Join(", ", Names)}, or a list of colours");
    }

    public static RgbColor Parse(string color) =>
        TryParse(color, out var rgb) ? rgb : throw new FormatException($"'{color}' is not a colour");

    public static bool TryParse(string? color, out RgbColor rgb)
    {
        rgb = default;
        if (string.IsNullOrWhiteSpace(color)) return false;
        var s = color.Trim();
        var hex = HexColor().Match(s);
        if (hex.Success)
        {
            var digits = hex.Groups[1].Value;
            if (digits.Length == 3) digits = string.Concat(digits.Select(ch => $"{ch}{ch}"));
            rgb = new RgbColor(
                byte.Parse(digits[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                byte.Parse(digits[2..4], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                byte.Parse(digits[4..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            return true;
        }
        var fn = RgbFunction().Match(s);
        if (!fn.Success) return false;
        var channels = new byte[3];
        for (var i = 0; i < 3; i++)
        {
            if (!int.TryParse(fn.Groups[i + 1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v > 255) return false;
            channels[i] = (byte)v;
        }
        rgb = new RgbColor(channels[0], channels[1], channels[2]);
        return true;
    }

    [GeneratedRegex(@"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();

    [GeneratedRegex(@"^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$", RegexOptions.IgnoreCase)]
    private static partial Regex RgbFunction();

    /// <summary>Okabe–Ito, then hues a golden angle apart with alternating lightness, so no two neighbours look alike.</summary>
    static RgbColor[] CategoricalColors(int count)
    {
        var colors = new RgbColor[count];
        for (var i = 0; i < count; i++)
            colors[i] = i < OkabeIto.Length
                ? OkabeIto[i]
                : RgbColor.FromHsl(210 + (i - OkabeIto.Length) * 137.508, 0.65, i % 2 == 0 ? 0.42 : 0.62);
        return colors;
    }

    /// <summary>
    /// Evenly spaced samples along a ramp. Beyond a handful of samples neighbours on a ramp look alike, so the
    /// samples are then interleaved (dark, light, dark...) to keep adjacent series apart.
    /// </summary>
    static RgbColor[] Ramp(RgbColor[] anchors, int count)
    {
        if (count == 1) return [Sample(anchors, 0.75)];
        var samples = Enumerable.Range(0, count).Select(i => Sample(anchors, (double)i / (count - 1))).ToArray();
        // Six samples of a ramp are still clearly apart; more get too close, so alternate halves.
        if (count <= 6) return samples;
        var half = (count + 1) / 2;
        var order = new RgbColor[count];
        for (var i = 0; i < count; i++) order[i] = i % 2 == 0 ? samples[i / 2] : samples[half + i / 2];
        return order;
    }

    static RgbColor Sample(RgbColor[] anchors, double t)
    {
        var position = t * (anchors.Length - 1);
        var i = Math.Min((int)Math.Floor(position), anchors.Length - 2);
        return anchors[i].Mix(anchors[i + 1], position - i);
    }

    /// <summary>A request's own list, repeated with each round lighter or darker than the last so repeats stay apart.</summary>
    static RgbColor[] Extend(RgbColor[] given, int count)
    {
        var colors = new RgbColor[count];
        for (var i = 0; i < count; i++)
        {
            var round = i / given.Length;
            var c = given[i % given.Length];
            colors[i] = round == 0 ? c
                : round % 2 == 1 ? c.Mix(new RgbColor(255, 255, 255), Math.Min(0.25 * ((round + 1) / 2), 0.75))
                : c.Mix(new RgbColor(0, 0, 0), Math.Min(0.25 * (round / 2), 0.75));
        }
        return colors;
    }

    static RgbColor Rgb(byte r, byte g, byte b) => new(r, g, b);
}
