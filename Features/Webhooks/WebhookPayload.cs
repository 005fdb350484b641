using System.Text.Json;
using ChartCraft.Features.Messages;

namespace ChartCraft.Features.Webhooks;

/// <summary>The body every delivery carries: <c>{"type", "timestamp", "data"}</c>, timestamp in ISO 8601 UTC.</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, IReadOnlyDictionary<string, object?> Data)
{
    static readonly JsonSerializerOptions Json = CreateJson();

    public static string Serialize(WebhookEvent e) => JsonSerializer.Serialize(new WebhookPayload(e.Type, e.At, e.Data), Json);

    // The API's own conventions: snake_case names, ISO timestamps; the data keys are written as the feature gave them.
    static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions();
        Api.ConfigureJson(json);
        return json;
    }
}
