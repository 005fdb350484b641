using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Infrastructure.Errors;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

public class PaletteTests
{
    public static IEnumerable<object[]> Names => Palettes.Names.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Names))]
    public void every_named_palette_gives_any_number_of_valid_colours_with_distinguishable_neighbours(string name)
    {
        foreach (var count in new[] { 1, 2, 3, 5, 8, 12, 20 })
        {
            var colors = Palettes.Resolve(ColorScheme.Named(name), count);
            colors.Count.ShouldBe(count);
            colors.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c, "^#[0-9a-f]{6}$"));
            for (var i = 1; i < colors.Count; i++)
                Palettes.Parse(colors[i]).DistanceTo(Palettes.Parse(colors[i - 1])).ShouldBeGreaterThan(10,
                    $"{name} with {count} colours: {colors[i - 1]} and {colors[i]} are too alike");
        }
    }

    [Fact]
    public void categorical_is_okabe_ito_and_the_default()
    {
        var colors = Palettes.Resolve(null, 7);
        colors.ShouldBe(["#0072b2", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#f0e442"]);
        Palettes.Resolve(ColorScheme.Named("categorical"), 7).ShouldBe(colors);
        Palettes.Resolve(null, 30).Distinct().Count().ShouldBe(30);
    }

    [Fact]
    public void a_list_of_colours_is_used_as_given_and_extended_with_lighter_and_darker_rounds()
    {
        var colors = Palettes.Resolve(ColorScheme.List("#f00", "#00ff00", "rgb(0, 0, 255)"), 7);
        colors.Take(3).ShouldBe(["#ff0000", "#00ff00", "#0000ff"]);
        colors.Distinct().Count().ShouldBe(7);
        for (var i = 1; i < colors.Count; i++)
            Palettes.Parse(colors[i]).DistanceTo(Palettes.Parse(colors[i - 1])).ShouldBeGreaterThan(10);
        // One colour for three series: three shades of it.
        var shades = Palettes.Resolve(ColorScheme.List("#336699"), 3);
        shades[0].ShouldBe("#336699");
        Palettes.Parse(shades[1]).Luminance.ShouldBeGreaterThan(Palettes.Parse(shades[0]).Luminance);
        Palettes.Parse(shades[2]).Luminance.ShouldBeLessThan(Palettes.Parse(shades[0]).Luminance);
    }

    [Theory]
    [InlineData("#abcd")]
    [InlineData("red")]
    [InlineData("rgb(300, 0, 0)")]
    [InlineData("#12345g")]
    [InlineData("rgb(1,2)")]
    public void an_invalid_colour_is_rejected_with_422_naming_it(string bad)
    {
        var problem = Should.Throw<ProblemException>(() => Palettes.Resolve(ColorScheme.List("#000000", bad), 2));
        problem.Status.ShouldBe(422);
        problem.Detail.ShouldBe($"color_scheme: '{bad}' is not a colour; use #rgb, #rrggbb or rgb(r, g, b)");
        problem.Errors!.Keys.ShouldBe(["config.color_scheme"]);
    }

    [Fact]
    public void an_unknown_palette_name_is_rejected_with_422_listing_the_names()
    {
        var problem = Should.Throw<ProblemException>(() =>
            ChartAggregator.Aggregate(VegaDatasets.Read("barley.csv"), ChartTypes.Bar,
                new() { XColumn = "site", YColumn = ["yield"], ColorScheme = ColorScheme.Named("rainbow") }));
        problem.Status.ShouldBe(422);
        problem.Detail!.ShouldStartWith("color_scheme 'rainbow' is not a palette; use one of: categorical, blue");
    }

    [Theory]
    [InlineData("#000000", "#ffffff", 21)]
    [InlineData("#ffffff", "#ffffff", 1)]
    [InlineData("#767676", "#ffffff", 4.54)]
    [InlineData("#777777", "#ffffff", 4.48)]
    [InlineData("rgb(255, 0, 0)", "#ffffff", 4.0)]
    public void contrast_ratio_follows_wcag(string foreground, string background, double expected)
    {
        Palettes.ContrastRatio(foreground, background).ShouldBe(expected, 0.01);
        Palettes.ContrastRatio(background, foreground).ShouldBe(expected, 0.01);
    }

    [Theory]
    [InlineData("light", "#ffffff")]
    [InlineData("dark", "#1e1e1e")]
    public void theme_text_colours_meet_wcag_aa_on_the_theme_background(string name, string background)
    {
        var theme = Palettes.Theme(name);
        theme.Background.ShouldBe(background);
        Palettes.ContrastRatio(theme.Text, background).ShouldBeGreaterThanOrEqualTo(4.5);
        Palettes.ContrastRatio(theme.MutedText, background).ShouldBeGreaterThanOrEqualTo(4.5);
    }

    [Fact]
    public void readable_text_skips_candidates_below_4_5_to_1()
    {
        Palettes.ReadableText("#ffffff", ["#aaaaaa", "#777777", "#595959"]).ShouldBe("#595959");
        Palettes.ReadableText("#1e1e1e", ["#333333"]).ShouldBe("#ffffff");
        Palettes.ReadableText("#f0e442", ["#f0e442"]).ShouldBe("#000000");
    }
}
