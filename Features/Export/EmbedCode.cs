using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChartCraft.Features.Export;

/// <summary>The snippets a user pastes into a page to show a chart.</summary>
public sealed record EmbedCodeResponse(string HtmlCode, string CssCode, string JsCode, string IframeCode, string EmbedUrl);

/// <summary>
/// Builds embed snippets and the standalone embed page. Every user string is encoded for where it lands:
/// HTML text and attributes through HtmlEncoder, the Chart.js config as JSON whose &lt; &gt; &amp; ' and
/// non-ASCII characters are \u-escaped, so no title or label can close a tag, an attribute or a script.
/// </summary>
public static class EmbedCode
{
    public const string ChartJsPath = "/static/vendor/chart.umd.min.js";

    /// <summary>JSON safe inside a &lt;script&gt; element or a JavaScript expression.</summary>
    public static string ScriptSafeJson(JsonNode config) =>
        config.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default });

    public static EmbedCodeResponse Snippets(Guid chartId, string title, JsonNode config, string baseUrl, string theme, bool responsive)
    {
        var element = $"chartcraft-{chartId:N}";
        var embedUrl = $"{baseUrl}/embed/{chartId}?theme={theme}";
        var html = HtmlEncoder.Default;
        var htmlCode =
            $"<div class=\"chartcraft-embed chartcraft-{theme}\"><canvas id=\"{element}\" role=\"img\" aria-label=\"{html.Encode(title)}\"></canvas></div>";
        var cssCode = responsive
            ? ".chartcraft-embed{position:relative;width:100%;aspect-ratio:16/9;min-height:240px}"
            : ".chartcraft-embed{position:relative;width:800px;height:450px}";
        cssCode += theme == "dark" ? ".chartcraft-dark{background:#1e1e1e}" : ".chartcraft-light{background:#ffffff}";
        var jsCode =
            $"<script src=\"{html.Encode(baseUrl + ChartJsPath)}\"></script>\n" +
            "<script>\n(function () {\n" +
            $"  var config = {ScriptSafeJson(config)};\n" +
            "  config.options = config.options || {};\n" +
            $"  config.options.responsive = true;\n  config.options.maintainAspectRatio = {(responsive ? "false" : "true")};\n" +
            $"  new Chart(document.getElementById(\"{element}\"), config);\n" +
            "})();\n</script>";
        var iframeCode =
            $"<iframe src=\"{html.Encode(embedUrl)}\" title=\"{html.Encode(title)}\" width=\"{(responsive ? "100%" : "800")}\" height=\"450\" " +
            "style=\"border:0;max-width:100%\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></iframe>";
        return new EmbedCodeResponse(htmlCode, cssCode, jsCode, iframeCode, embedUrl);
    }

    /// <summary>The standalone page served at /embed/{chart_id}: no inline script or style, so CSP can forbid both.</summary>
    public static string Page(string title, string? caption, JsonNode config, string theme)
    {
        var html = HtmlEncoder.Default;
        var captionHtml = string.IsNullOrWhiteSpace(caption) ? "" : $"<figcaption>{html.Encode(caption)}</figcaption>";
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
               $"<title>{html.Encode(title)}</title><link rel=\"stylesheet\" href=\"/static/embed/embed.css\"></head>\n" +
               $"<body class=\"theme-{theme}\"><figure class=\"chartcraft\"><div class=\"chartcraft-canvas\">" +
               $"<canvas id=\"chartcraft-chart\" role=\"img\" aria-label=\"{html.Encode(title)}\"></canvas></div>{captionHtml}</figure>\n" +
               $"<script type=\"application/json\" id=\"chartcraft-config\">{ScriptSafeJson(config)}</script>\n" +
               $"<script src=\"{ChartJsPath}\"></script>\n<script src=\"/static/embed/embed.js\"></script>\n</body></html>\n";
    }

    /// <summary>Scripts and styles from this origin only; frames anywhere (that is the point of an embed).</summary>
    public const string PageSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors *";
}
