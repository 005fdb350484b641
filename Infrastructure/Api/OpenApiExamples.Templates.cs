using ChartCraft.Features.Charts;
using ChartCraft.Features.Templates;

namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>Charts made from other charts: templates (a chart's style, saved under a name) and copies.</summary>
    static Dictionary<Type, string> Templates => new()
    {
        [typeof(CreateTemplateRequest)] = """
            {"chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62", "name": "Monthly trend"}
            """,
        [typeof(TemplateResponse)] = """
            {
              "template_id": "9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a",
              "name": "Monthly trend",
              "chart_type": "line",
              "style": {
                "chart_type": "line",
                "color_scheme": null,
                "x_label": null,
                "y_label": null,
                "sort": null,
                "limit": null,
                "stacked": null
              },
              "source_chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
              "created_at": "2026-03-14T09:31:07Z"
            }
            """,
        [typeof(DuplicateChartRequest)] = """
            {
              "data_source_id": "4c1e9a7f-6b2d-4d8e-9f3a-5b7c0e2d1a84",
              "column_map": {"month": "week", "sales": "revenue"},
              "title": "Weekly revenue by region"
            }
            """,
    };
}
