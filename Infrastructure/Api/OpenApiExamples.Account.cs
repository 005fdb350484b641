using ChartCraft.Features.Account;
using ChartCraft.Features.Activity;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Plans;

namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>
    /// The account (plan usage, activity, deletion; its zip is an export), an admin's tier change, and the owner's
    /// figures of a chart: what was used and done, counted.
    /// </summary>
    static Dictionary<Type, string> Account => new()
    {
        [typeof(PlanUsage)] = """
            {
              "tier": "free",
              "limits": {
                "file_size_mb": {"used": 1.84, "limit": 10},
                "sources": {"used": 3, "limit": 10},
                "stored_mb": {"used": 2.71, "limit": 100},
                "charts": {"used": 4, "limit": 25},
                "exports_per_day": {"used": 3, "limit": 50, "resets_at": "2026-03-15T00:00:00Z"},
                "ai_insights_per_day": {"used": 1, "limit": 20, "resets_at": "2026-03-15T00:00:00Z"},
                "publishes_per_day": {"used": 1, "limit": 5, "resets_at": "2026-03-15T00:00:00Z"}
              }
            }
            """,
        [typeof(ActivityEntry)] = """
            {
              "at": "2026-03-14T09:26:53Z",
              "kind": "chart_exported",
              "subject_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
              "summary": "Exported chart \"Monthly sales\" as PNG"
            }
            """,
        [typeof(DeleteAccountRequest)] = """
            {"password": "correct horse 42"}
            """,
        [typeof(ChangeTierRequest)] = """
            {"tier": "pro"}
            """,
        [typeof(ChartStatsResponse)] = """
            {
              "views_by_day": [
                {"date": "2026-03-14", "views": 12, "unique_visitors": 9},
                {"date": "2026-03-15", "views": 48, "unique_visitors": 31},
                {"date": "2026-03-16", "views": 37, "unique_visitors": 26},
                {"date": "2026-03-17", "views": 29, "unique_visitors": 20},
                {"date": "2026-03-18", "views": 41, "unique_visitors": 33},
                {"date": "2026-03-19", "views": 8, "unique_visitors": 7},
                {"date": "2026-03-20", "views": 5, "unique_visitors": 4}
              ],
              "exports": 3,
              "publishes": 1
            }
            """,
    };
}
