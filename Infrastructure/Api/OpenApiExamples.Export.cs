using ChartCraft.Features.Export;

namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>Image, PDF and batch exports, and embed code.</summary>
    static Dictionary<Type, string> Export => new()
    {
        [typeof(ExportImageRequest)] = """
            {
              "chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
              "format": "png",
              "width": 800,
              "height": 500,
              "dpi": 96,
              "theme": "light",
              "transparent": false
            }
            """,
        [typeof(ExportPdfRequest)] = """
            {
              "chart_ids": ["8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62"],
              "title": "Q1 sales",
              "include_insights": true
            }
            """,
        [typeof(BatchExportRequest)] = """
            {
              "requests": [
                {
                  "format": "svg",
                  "chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
                  "width": 800,
                  "height": 500
                },
                {
                  "format": "pdf",
                  "chart_ids": ["8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62"],
                  "title": "Q1 sales",
                  "include_insights": true
                }
              ]
            }
            """,
        [typeof(ExportResponse)] = """
            {
              "export_id": "c5d2e8f1-7a3b-4c9d-8e6f-0a1b2c3d4e5f",
              "chart_ids": ["8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62"],
              "format": "png",
              "status": "completed",
              "download_url": "https://api.chartcraft.example/api/files/exports/3f2b8c1e5a7d4e9b8c217d4f0a6b9e15/8e4a1c7b2d9f4b6ea3c51f0d9e8b7a62/r2-db0065cf927cedb1.png?name=Monthly%20sales.png&type=image%2Fpng&expires=1773566813&sig=Hk2n9Qv4XcLm7RtB1yWz8pAe5uJd3sFg6oKi0lNb",
              "expires_at": "2026-03-14T10:26:53Z",
              "size_bytes": 39624,
              "error": null,
              "created_at": "2026-03-14T09:26:53Z",
              "completed_at": "2026-03-14T09:26:53Z",
              "batch_id": null
            }
            """,
        [typeof(BatchExportResponse)] = """
            {
              "batch_id": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b",
              "exports": [
                {
                  "export_id": "f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b6c",
                  "chart_ids": ["8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62"],
                  "format": "svg",
                  "status": "queued",
                  "download_url": null,
                  "expires_at": null,
                  "size_bytes": null,
                  "error": null,
                  "created_at": "2026-03-14T09:26:53Z",
                  "completed_at": null,
                  "batch_id": "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b"
                }
              ]
            }
            """,
        [typeof(EmbedRequest)] = """
            {"chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62", "theme": "light", "responsive": true}
            """,
        [typeof(EmbedCodeResponse)] = """
            {
              "html_code": "<div class=\"chartcraft-embed chartcraft-light\"><canvas id=\"chartcraft-8e4a1c7b2d9f4b6ea3c51f0d9e8b7a62\" role=\"img\" aria-label=\"Monthly sales\"></canvas></div>",
              "css_code": ".chartcraft-embed{position:relative;width:100%;aspect-ratio:16/9;min-height:240px}.chartcraft-light{background:#ffffff}",
              "js_code": "<script src=\"https://api.chartcraft.example/static/vendor/chart.umd.min.js\"></script>\n<script>\n(function () {\n  var config = {\"data\":{\"labels\":[\"Jan 2026\",\"Feb 2026\",\"Mar 2026\"],\"datasets\":[{\"data\":[1200.5,1340,1505],\"fill\":false,\"label\":\"North\",\"tension\":0,\"spanGaps\":false,\"borderColor\":\"#0072b2\",\"borderWidth\":2,\"pointRadius\":3,\"backgroundColor\":\"#0072b2\",\"pointHoverRadius\":5},{\"data\":[980,1010.25,1122],\"fill\":false,\"label\":\"South\",\"tension\":0,\"spanGaps\":false,\"borderColor\":\"#e69f00\",\"borderWidth\":2,\"pointRadius\":3,\"backgroundColor\":\"#e69f00\",\"pointHoverRadius\":5}]},\"type\":\"line\",\"options\":{\"scales\":{\"x\":{\"grid\":{\"color\":\"rgba(0, 0, 0, 0.1)\",\"display\":true},\"type\":\"category\",\"ticks\":{\"color\":\"#5f5f5f\",\"autoSkip\":true,\"maxRotation\":0,\"minRotation\":0,\"maxTicksLimit\":12},\"title\":{\"text\":\"month\",\"color\":\"#222222\",\"display\":true},\"stacked\":false},\"y\":{\"grid\":{\"color\":\"rgba(0, 0, 0, 0.1)\"},\"type\":\"linear\",\"ticks\":{\"color\":\"#5f5f5f\",\"maxTicksLimit\":8},\"title\":{\"text\":\"Sales\",\"color\":\"#222222\",\"display\":true},\"stacked\":false,\"suggestedMax\":1531.25,\"suggestedMin\":953.75}},\"plugins\":{\"title\":{\"font\":{\"size\":16},\"text\":\"Monthly sales\",\"color\":\"#222222\",\"display\":true},\"legend\":{\"labels\":{\"color\":\"#222222\"},\"display\":true,\"position\":\"top\"},\"tooltip\":{\"mode\":\"index\",\"enabled\":true,\"intersect\":false},\"chartcraft\":{\"unit\":null,\"format\":\"thousands\",\"x_kind\":\"time\",\"measure\":\"sales\",\"x_column\":\"month\",\"log_scale\":false,\"time_unit\":\"month\",\"background\":\"#ffffff\",\"text_color\":\"#222222\",\"aggregation\":\"sum\",\"point_count\":6}},\"responsive\":true,\"aspectRatio\":2,\"interaction\":{\"mode\":\"index\",\"intersect\":false},\"maintainAspectRatio\":true}};\n  config.options = config.options || {};\n  config.options.responsive = true;\n  config.options.maintainAspectRatio = false;\n  new Chart(document.getElementById(\"chartcraft-8e4a1c7b2d9f4b6ea3c51f0d9e8b7a62\"), config);\n})();\n</script>",
              "iframe_code": "<iframe src=\"https://api.chartcraft.example/embed/8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62?theme=light\" title=\"Monthly sales\" width=\"100%\" height=\"450\" style=\"border:0;max-width:100%\" loading=\"lazy\" referrerpolicy=\"no-referrer\"></iframe>",
              "embed_url": "https://api.chartcraft.example/embed/8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62?theme=light"
            }
            """,
    };
}
