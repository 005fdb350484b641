using ChartCraft.Features.Analyze;
using ChartCraft.Features.Upload;

namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>Uploads, data sources (their versions, and sources fetched from a URL), previews and analysis.</summary>
    static Dictionary<Type, string> DataSources => new()
    {
        [typeof(UploadFileEndpoint.UploadForm)] = """
            {"file": "(the file's bytes: sales.csv)", "sheet": null}
            """,
        [typeof(UploadResponse)] = """
            {
              "data_source_id": "0b9d6f2a-3c4e-4f8a-9b1d-2e5c7a8f6d30",
              "file_name": "sales.csv",
              "file_type": "csv",
              "size_bytes": 155,
              "row_count": 6,
              "column_count": 3,
              "column_info": [
                {
                  "name": "month",
                  "type": "datetime",
                  "sample_values": ["2026-01-01", "2026-02-01", "2026-03-01"],
                  "null_count": 0,
                  "unique_count": 3,
                  "format": "yyyy-MM-dd",
                  "unit": null,
                  "invalid_count": 0
                },
                {
                  "name": "region",
                  "type": "categorical",
                  "sample_values": ["North", "South"],
                  "null_count": 0,
                  "unique_count": 2,
                  "format": null,
                  "unit": null,
                  "invalid_count": 0
                },
                {
                  "name": "sales",
                  "type": "numeric",
                  "sample_values": [1200.5, 980, 1340, 1010.25, 1505],
                  "null_count": 0,
                  "unique_count": 6,
                  "format": null,
                  "unit": null,
                  "invalid_count": 0
                }
              ],
              "suggested_charts": ["line", "area", "bar", "pie", "histogram", "doughnut"],
              "warnings": []
            }
            """,
        [typeof(DataSourceResponse)] = $$"""
            {
              "data_source_id": "0b9d6f2a-3c4e-4f8a-9b1d-2e5c7a8f6d30",
              "file_name": "sales.csv",
              "file_type": "csv",
              "size_bytes": 155,
              "row_count": 6,
              "column_count": 3,
              "column_info": {{SalesColumns}},
              "encoding": "utf-8",
              "delimiter": ",",
              "sheet": null,
              "warnings": [],
              "created_at": "2026-03-14T09:26:53Z",
              "version": 1,
              "source_url": null,
              "refresh_minutes": null,
              "last_fetched_at": null,
              "last_fetch_error": null,
              "next_fetch_at": null
            }
            """,
        [typeof(CreateUrlSourceRequest)] = """
            {"source_url": "https://data.example.com/exports/sales.csv", "refresh_minutes": 60, "name": "Regional sales"}
            """,
        [typeof(SourceVersionResponse)] = """
            {"version": 1, "file_name": "sales.csv", "file_size": 155, "row_count": 6, "created_at": "2026-03-14T09:26:53Z"}
            """,
        [typeof(PreviewResponse)] = $$"""
            {
              "data": [
                {"month": "2026-01-01", "region": "North", "sales": 1200.5},
                {"month": "2026-01-01", "region": "South", "sales": 980}
              ],
              "total_rows": 6,
              "columns": {{SalesColumns}},
              "offset": 0,
              "limit": 2
            }
            """,
        [typeof(AnalyzeRequest)] = """
            {"data_source_id": "0b9d6f2a-3c4e-4f8a-9b1d-2e5c7a8f6d30", "analysis_type": "full"}
            """,
        [typeof(AnalysisResponse)] = """
            {
              "data_source_id": "0b9d6f2a-3c4e-4f8a-9b1d-2e5c7a8f6d30",
              "analysis_type": "full",
              "row_count": 6,
              "column_count": 3,
              "statistics": {
                "month": {
                  "type": "datetime",
                  "count": 6,
                  "missing": 0,
                  "invalid": 0,
                  "unique_count": 3,
                  "format": "yyyy-MM-dd",
                  "min": "2026-01-01",
                  "max": "2026-03-01",
                  "span_days": 59,
                  "frequency": "monthly",
                  "median_gap_days": 29.5,
                  "business_days_only": false,
                  "missing_periods": 0,
                  "gaps": []
                },
                "region": {
                  "type": "categorical",
                  "count": 6,
                  "missing": 0,
                  "invalid": 0,
                  "unique_count": 2,
                  "top_values": [{"value": "North", "count": 3, "share": 0.5}, {"value": "South", "count": 3, "share": 0.5}]
                },
                "sales": {
                  "type": "numeric",
                  "count": 6,
                  "missing": 0,
                  "invalid": 0,
                  "unique_count": 6,
                  "unit": null,
                  "sum": 7157.75,
                  "mean": 1192.9583333333333,
                  "median": 1161.25,
                  "std": 201.40347667472543,
                  "min": 980,
                  "max": 1505,
                  "q1": 1038.1875,
                  "q3": 1305.125,
                  "iqr": 266.9375,
                  "quartile_method": "linear",
                  "skew": 0.6407428229829724,
                  "outlier_count": 0,
                  "outliers": {
                    "method": "iqr_1.5",
                    "lower_fence": 637.78125,
                    "upper_fence": 1705.53125,
                    "count": 0,
                    "below": 0,
                    "above": 0,
                    "examples": []
                  }
                }
              },
              "patterns": [],
              "recommendations": [
                {
                  "type": "chart",
                  "text": "Bar chart of total sales by region (2 categories).",
                  "columns": ["region", "sales"],
                  "chart": {
                    "chart_type": "bar",
                    "x_column": "region",
                    "y_column": "sales",
                    "aggregation": "sum",
                    "time_unit": null
                  }
                },
                {
                  "type": "chart",
                  "text": "Doughnut chart of region shares: 'North' leads with 50% of 6 rows.",
                  "columns": ["region"],
                  "chart": {
                    "chart_type": "doughnut",
                    "x_column": "region",
                    "y_column": null,
                    "aggregation": "count",
                    "time_unit": null
                  }
                }
              ]
            }
            """,
    };

    /// <summary>The columns of sales.csv as a data source and its preview show them.</summary>
    const string SalesColumns = """
        [
            {
              "name": "month",
              "type": "datetime",
              "sample_values": ["2026-01-01T00:00:00", "2026-02-01T00:00:00", "2026-03-01T00:00:00"],
              "null_count": 0,
              "unique_count": 3,
              "format": "yyyy-MM-dd",
              "unit": null,
              "invalid_count": 0
            },
            {
              "name": "region",
              "type": "categorical",
              "sample_values": ["North", "South"],
              "null_count": 0,
              "unique_count": 2,
              "format": null,
              "unit": null,
              "invalid_count": 0
            },
            {
              "name": "sales",
              "type": "numeric",
              "sample_values": [1200.5, 980, 1340, 1010.25, 1505],
              "null_count": 0,
              "unique_count": 6,
              "format": null,
              "unit": null,
              "invalid_count": 0
            }
        ]
        """;
}
