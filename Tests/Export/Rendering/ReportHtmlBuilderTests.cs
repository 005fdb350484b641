using System.Text.RegularExpressions;
using ChartCraft.Features.Export.Rendering;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>The report HTML: every user string encoded, one section per chart, print CSS with page breaks.</summary>
public class ReportHtmlBuilderTests
{
    const string Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>";
    static readonly DateTimeOffset Generated = new(2024, 3, 5, 14, 7, 0, TimeSpan.FromHours(2));

    static ReportSection Section(string title) => new(title, Svg, "Headline", ["First insight", "Second insight"],
        [new KeyFigure("Total", "1,234"), new KeyFigure("Mean", "56.7")]);

    [Fact]
    public void report_title_and_the_utc_generation_time_open_the_document()
    {
        var html = ReportHtmlBuilder.Build(new ReportModel("Quarterly sales", Generated, [Section("A")]));

        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<title>Quarterly sales</title>");
        html.ShouldContain("<h1>Quarterly sales</h1>");
        html.ShouldContain("2024-03-05 12:07 UTC"); // 14:07 at +02:00
    }

    [Fact]
    public void each_chart_gets_a_section_with_title_svg_headline_insights_and_key_figures()
    {
        var html = ReportHtmlBuilder.Build(new ReportModel("R", Generated, [Section("Sales by region"), Section("Costs")]));

        Regex.Matches(html, "<section class=\"chart\">").Count.ShouldBe(2);
        html.ShouldContain("<h2>Sales by region</h2>");
        Regex.Matches(html, Regex.Escape(Svg)).Count.ShouldBe(2);
        html.ShouldContain("<p class=\"headline\">Headline</p>");
        html.ShouldContain("<li>Second insight</li>");
        html.ShouldContain("<tr><th scope=\"row\">Total</th><td class=\"value\">1,234</td></tr>");
    }

    [Fact]
    public void charts_after_the_first_start_on_a_new_page()
    {
        var html = ReportHtmlBuilder.Build(new ReportModel("R", Generated, [Section("A")]));

        html.ShouldContain("section.chart + section.chart { break-before: page; }");
    }

    [Fact]
    public void every_user_string_is_html_encoded()
    {
        const string evil = "<script>alert('x')</script>&";
        var section = new ReportSection(evil, Svg, evil, [evil], [new KeyFigure(evil, evil)]);

        var html = ReportHtmlBuilder.Build(new ReportModel(evil, Generated, [section]));

        html.ShouldNotContain("<script");
        Regex.Matches(html, Regex.Escape("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;")).Count.ShouldBe(7);
    }

    [Fact]
    public void empty_headline_insights_and_key_figures_leave_no_empty_elements()
    {
        var html = ReportHtmlBuilder.Build(new ReportModel("R", Generated, [new ReportSection("Only a chart", Svg, "", [], [])]));

        html.ShouldNotContain("<p class=\"headline\">");
        html.ShouldNotContain("<ul class=\"insights\">");
        html.ShouldNotContain("<table class=\"figures\">");
    }

    [Theory]
    [InlineData("<b>not an svg</b>")]
    [InlineData("<?xml version=\"1.0\"?><html><svg></svg></html>")]
    public void a_section_whose_svg_is_not_one_svg_element_is_rejected(string svg) =>
        Should.Throw<ArgumentException>(() => ReportHtmlBuilder.Build(new ReportModel("R", Generated, [new ReportSection("A", svg)])));
}
