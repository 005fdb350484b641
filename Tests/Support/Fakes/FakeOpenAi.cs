using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ChartCraft.Tests.Support.Fakes;

/// <summary>OpenAI's Chat Completions wire format, as a local WireMock server answers it in place of the real API.</summary>
public static class FakeOpenAi
{
    /// <summary>A chat.completion body whose one choice carries <paramref name="content"/> as the assistant's message.</summary>
    public static string Completion(string content, string model = "gpt-4o-mini", string id = "chatcmpl-fake") =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id, ["object"] = "chat.completion", ["created"] = 1_767_225_600, ["model"] = model,
            ["choices"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["index"] = 0, ["finish_reason"] = "stop", ["logprobs"] = null,
                    ["message"] = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = content, ["refusal"] = null },
                },
            },
            ["usage"] = new Dictionary<string, object?> { ["prompt_tokens"] = 100, ["completion_tokens"] = 50, ["total_tokens"] = 150 },
        });

    /// <summary>From now on every chat completion answers with <paramref name="answer"/>, serialized, as the assistant's JSON content.</summary>
    public static void AnswerEveryCompletion(this WireMockServer server, object answer)
    {
        server.Reset();
        server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(Completion(JsonSerializer.Serialize(answer))));
    }
}
