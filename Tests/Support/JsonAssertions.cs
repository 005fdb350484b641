using System.Text.Json.Nodes;
using Alba;

namespace ChartCraft.Tests.Support;

public static class JsonAssertions
{
    public static async Task<JsonNode> JsonAsync(this IScenarioResult result) =>
        JsonNode.Parse(await result.ReadAsTextAsync())!;

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Asserts the RFC 9457 shape every error of the API has, and returns the body.</summary>
    public static JsonNode ShouldBeProblem(this JsonNode body, int status)
    {
        body["status"]!.GetValue<int>().ShouldBe(status);
        body["type"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        body["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        body["instance"]!.GetValue<string>().ShouldStartWith("/");
        body["trace_id"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        return body;
    }
}
