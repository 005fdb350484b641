using System.Globalization;
using System.Net;
using System.Text;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>A PDF report: a title, when it was generated, and one section per chart.</summary>
public sealed record ReportModel(string Title, DateTimeOffset GeneratedAt, IReadOnlyList<ReportSection> Sections);

/// <summary>
/// One chart of a report. <paramref name="Svg"/> is markup from <see cref="ChromiumRenderer"/> (trusted: plotly
/// writes user text as escaped text nodes); every other string comes from users and is HTML-encoded.
/// </summary>
public sealed record ReportSection(
    string Title,
    string Svg,
    string? Headline = null,
    IReadOnlyList<string>? Insights = null,
    IReadOnlyList<KeyFigure>? KeyFigures = null);

/// <summary>A labelled, already formatted number for a report's table of key figures.</summary>
public sealed record KeyFigure(string Label, string Value);

/// <summary>Builds the static HTML that Chromium prints to an A4 PDF report, one chart per page.</summary>
public static class ReportHtmlBuilder
{
    /// <summary>Print CSS: page margins come from the PDF options (room for header and footer).</summary>
    const string Css = """
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; font-family: "Helvetica Neue", Helvetica, Arial, sans-serif; font-size: 10.5pt;
               line-height: 1.45; color: #1f2937; }
        header.report { border-bottom: 2px solid #1f2937; padding-bottom: 6mm; margin-bottom: 8mm; }
        header.report h1 { font-size: 22pt; margin: 0 0 2mm; line-height: 1.2; overflow-wrap: anywhere; }
        header.report .generated { color: #6b7280; font-size: 9.5pt; }
        section.chart { break-inside: avoid-page; }
        section.chart + section.chart { break-before: page; }
        section.chart h2 { font-size: 15pt; margin: 0 0 4mm; overflow-wrap: anywhere; }
        figure { margin: 0 0 5mm; break-inside: avoid; }
        figure svg { display: block; width: 100%; height: auto; }
        .headline { font-weight: 600; font-size: 11.5pt; margin: 0 0 2mm; }
        ul.insights { margin: 0 0 5mm; padding-left: 5mm; }
        ul.insights li { margin-bottom: 1mm; }
        table.figures { min-width: 60%; border-collapse: collapse; break-inside: avoid; }
        table.figures caption { text-align: left; font-weight: 600; margin-bottom: 2mm; }
        table.figures th, table.figures td { padding: 1.5mm 2mm; border-bottom: 1px solid #e5e7eb; text-align: left; }
        table.figures .value { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        table.figures thead th { border-bottom: 1.5px solid #9ca3af; color: #4b5563; font-weight: 600; }
        """;

    public static string Build(ReportModel report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(4096 + report.Sections.Sum(s => s.Svg.Length));
        var generated = report.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            // Chromium prints the <title> in the page header and stores it as the PDF's Title.
            .Append("<title>").Append(Encode(report.Title)).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<header class=\"report\">\n<h1>").Append(Encode(report.Title)).Append("</h1>\n")
            .Append("<div class=\"generated\">Generated ")
            .Append("<time datetime=\"").Append(report.GeneratedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
            .Append("\">").Append(generated).Append("</time></div>\n</header>\n");

        foreach (var section in report.Sections) AppendSection(html, section);

        return html.Append("</body>\n</html>\n").ToString();
    }

    static void AppendSection(StringBuilder html, ReportSection section)
    {
        html.Append("<section class=\"chart\">\n<h2>").Append(Encode(section.Title)).Append("</h2>\n")
            .Append("<figure>").Append(CheckedSvg(section.Svg)).Append("</figure>\n");

        if (!string.IsNullOrWhiteSpace(section.Headline))
            html.Append("<p class=\"headline\">").Append(Encode(section.Headline)).Append("</p>\n");

        var insights = section.Insights?.Where(i => !string.IsNullOrWhiteSpace(i)).ToList() ?? [];
        if (insights.Count > 0)
        {
            html.Append("<ul class=\"insights\">\n");
            foreach (var insight in insights) html.Append("<li>").Append(Encode(insight)).Append("</li>\n");
            html.Append("</ul>\n");
        }

        if (section.KeyFigures is { Count: > 0 } figures)
        {
            html.Append("<table class=\"figures\">\n<caption>Key figures</caption>\n")
                .Append("<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\" class=\"value\">Value</th></tr></thead>\n<tbody>\n");
            foreach (var figure in figures)
                html.Append("<tr><th scope=\"row\">").Append(Encode(figure.Label))
                    .Append("</th><td class=\"value\">").Append(Encode(figure.Value)).Append("</td></tr>\n");
            html.Append("</tbody>\n</table>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>
    /// The SVG is inlined as markup, so it must be what the renderer produced: one &lt;svg&gt; element. This catches
    /// a caller passing user text or a whole document by mistake; the print page also runs with JavaScript off.
    /// </summary>
    static string CheckedSvg(string svg)
    {
        var trimmed = svg.Trim();
        if (!trimmed.StartsWith("<svg", StringComparison.Ordinal) || !trimmed.EndsWith("</svg>", StringComparison.Ordinal))
            throw new ArgumentException("A report section's Svg must be one <svg> element from the chart renderer.", nameof(svg));
        return trimmed;
    }

    static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");
}
