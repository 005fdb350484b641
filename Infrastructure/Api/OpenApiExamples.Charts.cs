using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Insights;

namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>Suggestions, charts, their previews and their history (sales.csv: month, region, sales).</summary>
    static Dictionary<Type, string> Charts => new()
    {
        [typeof(SuggestionsResponse)] = """
            {
              "suggestions": [
                {
                  "chart_type": "line",
                  "confidence": 0.9,
                  "reason": "sales over 3 months: a line shows the trend",
                  "config": {
                    "x_column": "month",
                    "y_column": "sales",
                    "group_column": null,
                    "aggregation": "sum",
                    "time_unit": "month",
                    "sort": null,
                    "limit": null,
                    "color_scheme": null,
                    "stacked": null,
                    "x_label": null,
                    "y_label": null,
                    "bins": null
                  }
                },
                {
                  "chart_type": "area",
                  "confidence": 0.74,
                  "reason": "sales by region over 3 months: stacked areas show how each of the 2 regions adds to the total",
                  "config": {
                    "x_column": "month",
                    "y_column": "sales",
                    "group_column": "region",
                    "aggregation": "sum",
                    "time_unit": "month",
                    "sort": null,
                    "limit": null,
                    "color_scheme": null,
                    "stacked": true,
                    "x_label": null,
                    "y_label": null,
                    "bins": null
                  }
                }
              ],
              "source": "rules"
            }
            """,
        [typeof(CreateChartRequest)] = """
            {
              "data_source_id": "0b9d6f2a-3c4e-4f8a-9b1d-2e5c7a8f6d30",
              "chart_type": "line",
              "title": "Monthly sales by region",
              "config": {
                "x_column": "month",
                "y_column": "sales",
                "group_column": "region",
                "aggregation": "sum",
                "time_unit": "month"
              },
              "generate_insights": true,
              "is_public": false
            }
            """,
        [typeof(ChartResponse)] = ChartExample,
        // What POST /api/charts with the request above would make, unsaved: the chart's own fields, as drawn.
        [typeof(ChartPreviewResponse)] = Pick(ChartExample, "chart_type", "config", "chart_config", "ai_insights"),
        [typeof(UpdateChartRequest)] = """
            {"title": "Monthly sales", "is_public": true}
            """,
        [typeof(ChartHistoryResponse)] = """
            {
              "chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
              "revisions": [
                {
                  "revision": 1,
                  "event": "chart_created",
                  "changes": ["title", "chart_type", "config"],
                  "at": "2026-03-14T09:26:53Z",
                  "details": {"title": "Monthly sales by region", "chart_type": "line", "is_public": false}
                },
                {
                  "revision": 2,
                  "event": "chart_updated",
                  "changes": ["title", "is_public"],
                  "at": "2026-03-14T09:26:53Z",
                  "details": {"title": "Monthly sales", "chart_type": "line", "is_public": true}
                }
              ]
            }
            """,
        [typeof(ChartOptimization)] = """
            {
              "tips": ["Use a title that states the main finding, not just the names of the columns."],
              "source": "statistical"
            }
            """,
        // The same chart as its owner sees it (ChartExample), made public.
        [typeof(PublicChartResponse)] = Pick(ChartExample, "chart_id", "title", "chart_type", "chart_config", "ai_insights"),
    };

    /// <summary>A chart as POST /api/charts makes it from the request example; the preview shows the same drawing.</summary>
    const string ChartExample = """
            {
              "chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
              "data_source_id": "0b9d6f2a-3c4e-4f8a-9b1d-2e5c7a8f6d30",
              "title": "Monthly sales by region",
              "chart_type": "line",
              "config": {
                "x_column": "month",
                "y_column": "sales",
                "group_column": "region",
                "aggregation": "sum",
                "time_unit": "month",
                "sort": null,
                "limit": null,
                "color_scheme": null,
                "stacked": null,
                "x_label": null,
                "y_label": null,
                "bins": null
              },
              "chart_config": {
                "data": {
                  "labels": ["Jan 2026", "Feb 2026", "Mar 2026"],
                  "datasets": [
                    {
                      "data": [1200.5, 1340, 1505],
                      "fill": false,
                      "label": "North",
                      "tension": 0,
                      "spanGaps": false,
                      "borderColor": "#0072b2",
                      "borderWidth": 2,
                      "pointRadius": 3,
                      "backgroundColor": "#0072b2",
                      "pointHoverRadius": 5
                    },
                    {
                      "data": [980, 1010.25, 1122],
                      "fill": false,
                      "label": "South",
                      "tension": 0,
                      "spanGaps": false,
                      "borderColor": "#e69f00",
                      "borderWidth": 2,
                      "pointRadius": 3,
                      "backgroundColor": "#e69f00",
                      "pointHoverRadius": 5
                    }
                  ]
                },
                "type": "line",
                "options": {
                  "scales": {
                    "x": {
                      "grid": {"color": "rgba(0, 0, 0, 0.1)", "display": true},
                      "type": "category",
                      "ticks": {
                        "color": "#5f5f5f",
                        "autoSkip": true,
                        "maxRotation": 0,
                        "minRotation": 0,
                        "maxTicksLimit": 12
                      },
                      "title": {"text": "month", "color": "#222222", "display": true},
                      "stacked": false
                    },
                    "y": {
                      "grid": {"color": "rgba(0, 0, 0, 0.1)"},
                      "type": "linear",
                      "ticks": {"color": "#5f5f5f", "maxTicksLimit": 8},
                      "title": {"text": "Sales", "color": "#222222", "display": true},
                      "stacked": false,
                      "suggestedMax": 1531.25,
                      "suggestedMin": 953.75
                    }
                  },
                  "plugins": {
                    "title": {
                      "font": {"size": 16},
                      "text": "Monthly sales by region",
                      "color": "#222222",
                      "display": true
                    },
                    "legend": {"labels": {"color": "#222222"}, "display": true, "position": "top"},
                    "tooltip": {"mode": "index", "enabled": true, "intersect": false},
                    "chartcraft": {
                      "unit": null,
                      "format": "thousands",
                      "x_kind": "time",
                      "measure": "sales",
                      "x_column": "month",
                      "log_scale": false,
                      "time_unit": "month",
                      "background": "#ffffff",
                      "text_color": "#222222",
                      "aggregation": "sum",
                      "point_count": 6
                    }
                  },
                  "responsive": true,
                  "aspectRatio": 2,
                  "interaction": {"mode": "index", "intersect": false},
                  "maintainAspectRatio": true
                }
              },
              "ai_insights": {
                "headline": "Sales (North) grew 25.4% from Jan 2026 to Mar 2026",
                "insights": [
                  "Sales (North) grew 25.4% from Jan 2026 to Mar 2026 (1,201 to 1,505).",
                  "Sales (South) grew 14.5% from Jan 2026 to Mar 2026 (980 to 1,122).",
                  "North grew the most, up 25.4% from Jan 2026 to Mar 2026, against up 14.5% for South."
                ],
                "recommendations": ["Find out what happened between Feb 2026 and Mar 2026, the sharpest change in the series."],
                "source": "statistical",
                "facts": [
                  {
                    "kind": "change",
                    "text": "Sales (North) grew 25.4% from Jan 2026 to Mar 2026 (1,201 to 1,505).",
                    "value": 25.364431486880466,
                    "figures": {
                      "last": 1505,
                      "first": 1200.5,
                      "change": 304.5,
                      "periods": 3,
                      "change_percent": 25.364431486880466
                    },
                    "labels": ["Jan 2026", "Mar 2026"],
                    "series": "North",
                    "score": 0.5652
                  }
                ]
              },
              "is_public": false,
              "view_count": 0,
              "revision": 1,
              "created_at": "2026-03-14T09:26:53Z",
              "updated_at": "2026-03-14T09:26:53Z",
              "status": "ok",
              "status_reason": null,
              "thumbnail_url": "https://api.chartcraft.example/api/files/thumbnails/3f2b8c1e5a7d4e9b8c217d4f0a6b9e15/8e4a1c7b2d9f4b6ea3c51f0d9e8b7a62/r1.png?name=thumbnail.png&type=image%2Fpng&expires=1773619200&sig=1KgzG_Lj1AygGHCJy6bRrcDLuYBVNLof2OKayJmaDd4",
              "template_id": null
            }
            """;
}
