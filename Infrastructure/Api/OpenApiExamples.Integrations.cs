using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Features.Newsletter.Publishing;
using ChartCraft.Features.Webhooks;

namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>Newsletter platforms, publishing and webhooks.</summary>
    static Dictionary<Type, string> Integrations => new()
    {
        [typeof(ConnectIntegrationRequest)] = """
            {"api_key": "0f3c2a9e8b7d6c5b4a39281706f5e4d3-us21"}
            """,
        [typeof(IntegrationResponse)] = """
            {
              "provider": "mailchimp",
              "status": "connected",
              "auth_method": "api_key",
              "account_name": "Ada's Data Digest",
              "connected_at": "2026-03-14T09:26:53Z",
              "last_checked_at": "2026-03-14T09:26:53Z",
              "last_error": null
            }
            """,
        [typeof(OAuthStartResponse)] = """
            {"authorize_url": "https://login.mailchimp.com/oauth2/authorize?response_type=code&client_id=417201938475&redirect_uri=https%3A%2F%2Fapi.chartcraft.example%2Fapi%2Fintegrations%2Fmailchimp%2Foauth%2Fcallback&state=q3Zt8mX1vB6nK0pL2wR9"}
            """,
        [typeof(PublishChartRequest)] = """
            {
              "chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
              "provider": "convertkit",
              "target_id": "2371924",
              "alt_text": "Line chart: monthly sales by region, January to March 2026; North grew 25.4%.",
              "link_url": "https://api.chartcraft.example/embed/8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62"
            }
            """,
        [typeof(PublishAccepted)] = """
            {"publish_id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d", "status": "queued"}
            """,
        [typeof(PublishJobResponse)] = """
            {
              "publish_id": "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d",
              "status": "completed",
              "provider": "convertkit",
              "chart_id": "8e4a1c7b-2d9f-4b6e-a3c5-1f0d9e8b7a62",
              "target_id": "2371924",
              "created_draft": false,
              "error": null,
              "campaign_id": null,
              "broadcast_id": "2371924",
              "image_url": "https://api.chartcraft.example/api/files/exports/3f2b8c1e5a7d4e9b8c217d4f0a6b9e15/8e4a1c7b2d9f4b6ea3c51f0d9e8b7a62/newsletter.png",
              "created_at": "2026-03-14T09:26:53Z",
              "completed_at": "2026-03-14T09:26:58Z"
            }
            """,
        [typeof(CreateWebhookRequest)] = """
            {
              "url": "https://hooks.example.com/chartcraft",
              "events": ["chart.created", "export.completed"],
              "description": "Analytics sync"
            }
            """,
        [typeof(CreatedWebhookResponse)] = """
            {
              "webhook_id": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
              "url": "https://hooks.example.com/chartcraft",
              "events": ["chart.created", "export.completed"],
              "description": "Analytics sync",
              "status": "active",
              "created_at": "2026-03-14T09:26:53Z",
              "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            }
            """,
        [typeof(WebhookResponse)] = """
            {
              "webhook_id": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
              "url": "https://hooks.example.com/chartcraft",
              "events": ["chart.created", "export.completed"],
              "description": "Analytics sync",
              "status": "active",
              "consecutive_failures": 0,
              "disabled_reason": null,
              "created_at": "2026-03-14T09:26:53Z"
            }
            """,
        [typeof(WebhookDeliveryResponse)] = """
            {
              "delivery_id": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
              "webhook_id": "6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e",
              "event_type": "chart.created",
              "status": "delivered",
              "attempts": 2,
              "response_code": 200,
              "duration_ms": 184,
              "error": null,
              "created_at": "2026-03-14T09:26:53Z",
              "last_attempt_at": "2026-03-14T09:27:05Z",
              "next_attempt_at": null,
              "completed_at": "2026-03-14T09:27:05Z",
              "attempt_log": [
                {"attempt": 1, "at": "2026-03-14T09:26:55Z", "status_code": 503, "duration_ms": 97, "error": "HTTP 503"},
                {"attempt": 2, "at": "2026-03-14T09:27:05Z", "status_code": 200, "duration_ms": 184, "error": null}
              ]
            }
            """,
    };
}
