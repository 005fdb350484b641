using System.ClientModel;
using System.ClientModel.Primitives;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace ChartCraft.Features.Charts.Insights;

/// <summary>
/// Asks OpenAI (chat completions with a strict JSON schema) to word insights, re-rank chart
/// suggestions and suggest optimisations, from facts the statistical engine computed. Answers are
/// validated (schema, counts, and every number grounded in the facts) and cached by a hash of the
/// request; any failure, timeout or rejected answer returns the statistical result instead.
/// Retries, Retry-After, the time budget and the circuit breaker live in the HttpClient's resilience
/// pipeline (see <see cref="InsightsRegistration"/>); the SDK's own retries are switched off so the
/// two do not multiply.
/// </summary>
public sealed class OpenAiInsightService(
    OpenAiSettings settings,
    IHttpClientFactory httpClients,
    HybridCache cache,
    IOptions<OpenAiInsightOptions> options,
    ILogger<OpenAiInsightService> logger) : IInsightGenerator
{
    /// <summary>Name of the HttpClient that carries the resilience pipeline.</summary>
    public const string HttpClientName = "openai";

    readonly OpenAiInsightOptions _options = options.Value;

    public async Task<ChartInsights> GenerateAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default)
    {
        var facts = StatisticalInsights.FindFacts(chart);
        var statistical = InsightWriter.Write(chart, facts);
        if (!settings.Enabled || facts.Count == 0) return statistical;

        var names = NumberGrounding.NamesOf(chart, title).ToList();
        var prompt = InsightPrompts.ForInsights(chart, title, facts, _options.MaxDataPoints);
        var answer = await AskAsync("insights", InsightPrompts.InsightInstructions, prompt, InsightPrompts.InsightSchema,
            (InsightAnswer a) => CheckInsights(a, facts, names), cancellationToken);
        return answer is null
            ? statistical
            : new ChartInsights(answer.Headline.Trim(), answer.Insights.Select(i => i.Trim()).ToList(),
                answer.Recommendations.Select(r => r.Trim()).ToList(), InsightSources.OpenAi, facts);
    }

    public async Task<ChartTypeSuggestions> SuggestChartTypesAsync(DataSet data, IReadOnlyList<ChartTypeCandidate> candidates,
        CancellationToken cancellationToken = default)
    {
        var statistical = StatisticalInsightGenerator.Suggest(candidates);
        if (!settings.Enabled || candidates.Count == 0) return statistical;

        var prompt = InsightPrompts.ForSuggestions(data, candidates);
        var answer = await AskAsync("suggestions", InsightPrompts.SuggestionInstructions, prompt, InsightPrompts.SuggestionSchema,
            (SuggestionAnswer a) => CheckSuggestions(a, candidates), cancellationToken);
        return answer is null ? statistical : new ChartTypeSuggestions(Merge(answer, candidates), InsightSources.OpenAi);
    }

    public async Task<ChartOptimization> OptimizeAsync(AggregatedChart chart, string title, CancellationToken cancellationToken = default)
    {
        var statistical = StatisticalInsightGenerator.Optimize(chart);
        if (!settings.Enabled) return statistical;

        var facts = StatisticalInsights.FindFacts(chart);
        var names = NumberGrounding.NamesOf(chart, title).Concat(InsightPrompts.ShapeNumbers(chart)).Concat(statistical.Tips).ToList();
        var prompt = InsightPrompts.ForOptimization(chart, title, facts, statistical.Tips, _options.MaxDataPoints);
        var answer = await AskAsync("optimization", InsightPrompts.OptimizationInstructions, prompt, InsightPrompts.OptimizationSchema,
            (OptimizationAnswer a) => CheckTips(a, facts, names), cancellationToken);
        return answer is null ? statistical : new ChartOptimization(answer.Tips.Select(t => t.Trim()).ToList(), InsightSources.OpenAi);
    }

    /// <summary>
    /// One validated answer, from the cache or the model; null when the model failed or its answer was
    /// rejected (rejections are not cached, so the next request asks again).
    /// </summary>
    async Task<T?> AskAsync<T>(string operation, string instructions, string prompt, BinaryData schema,
        Func<T, string?> check, CancellationToken cancellationToken) where T : class
    {
        var key = $"insights:openai:{operation}:{Hash(settings.Model, instructions, prompt)}";
        try
        {
            return await cache.GetOrCreateCountedAsync("insights", key, async token =>
                {
                    var answer = await CompleteAsync<T>(operation, instructions, prompt, schema, token);
                    if (check(answer) is { } problem) throw new UnusableAnswerException(problem);
                    return answer;
                },
                new HybridCacheEntryOptions { Expiration = _options.CacheDuration, LocalCacheExpiration = _options.CacheDuration },
                cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the caller gave up; nobody is waiting for a fallback
        }
        catch (Exception ex)
        {
            // Any failure of the model path (HTTP error after retries, time budget spent, open circuit,
            // invalid JSON, schema mismatch, ungrounded number) means the statistical answer is used.
            logger.LogWarning("OpenAI {Operation} fell back to the statistical engine: {Reason} ({Type})",
                operation, ex.Message, ex.GetType().Name);
            return null;
        }
    }

    async Task<T> CompleteAsync<T>(string operation, string instructions, string prompt, BinaryData schema,
        CancellationToken cancellationToken) where T : class
    {
        var client = CreateClient();
        var request = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(operation, schema, jsonSchemaIsStrict: true),
            MaxOutputTokenCount = _options.MaxOutputTokens,
        };
        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage(instructions), new UserChatMessage(prompt)], request, cancellationToken);
        if (!string.IsNullOrEmpty(completion.Refusal)) throw new UnusableAnswerException("the model refused");
        if (completion.FinishReason != ChatFinishReason.Stop)
            throw new UnusableAnswerException($"the answer stopped early ({completion.FinishReason})");
        var text = string.Concat(completion.Content.Select(part => part.Text));
        if (string.IsNullOrWhiteSpace(text)) throw new UnusableAnswerException("empty answer");
        try
        {
            return JsonSerializer.Deserialize<T>(text, InsightPrompts.AnswerJson)
                   ?? throw new UnusableAnswerException("the answer is JSON null");
        }
        catch (JsonException ex)
        {
            throw new UnusableAnswerException($"the answer does not match the schema: {ex.Message}");
        }
    }

    ChatClient CreateClient()
    {
        // A client per call over a factory HttpClient: handlers rotate (DNS changes are seen) and the
        // resilience pipeline stays in one place.
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(httpClients.CreateClient(HttpClientName)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // The pipeline's time budget fires first; this only bounds a misconfigured one.
            NetworkTimeout = _options.Timeout + TimeSpan.FromSeconds(5),
        };
        if (settings.BaseUrl is { } baseUrl) clientOptions.Endpoint = new Uri(baseUrl);
        return new ChatClient(settings.Model, new ApiKeyCredential(settings.ApiKey!), clientOptions);
    }

    static string? CheckInsights(InsightAnswer answer, IReadOnlyList<InsightFact> facts, IReadOnlyList<string> names)
    {
        if (string.IsNullOrWhiteSpace(answer.Headline)) return "empty headline";
        if (answer.Headline.Length > 200) return "headline too long";
        var fewest = Math.Min(3, facts.Count);
        if (answer.Insights.Count < fewest || answer.Insights.Count > 5) return $"{answer.Insights.Count} insights (want {fewest}–5)";
        if (answer.Insights.Any(string.IsNullOrWhiteSpace)) return "an empty insight";
        if (answer.Recommendations.Count > 5 || answer.Recommendations.Any(string.IsNullOrWhiteSpace)) return "bad recommendations";
        foreach (var text in answer.Insights.Prepend(answer.Headline).Concat(answer.Recommendations))
        {
            var report = NumberGrounding.Check(text, facts, names);
            if (!report.IsGrounded)
                return $"numbers not in the facts: {string.Join(", ", report.Ungrounded.Select(m => m.Text))}";
        }
        return null;
    }

    static string? CheckSuggestions(SuggestionAnswer answer, IReadOnlyList<ChartTypeCandidate> candidates)
    {
        var seen = new HashSet<int>();
        foreach (var s in answer.Suggestions)
        {
            var index = IndexOf(s, candidates);
            if (index < 0) return $"unknown candidate {s.ChartType}({s.XColumn}, {s.YColumn})";
            if (!seen.Add(index)) return $"candidate {s.ChartType} given twice";
            if (!double.IsFinite(s.Confidence) || s.Confidence is < 0 or > 1) return "confidence outside 0..1";
            if (string.IsNullOrWhiteSpace(s.Reason)) return "empty reason";
        }
        return answer.Suggestions.Count == 0 ? "no suggestions" : null;
    }

    static string? CheckTips(OptimizationAnswer answer, IReadOnlyList<InsightFact> facts, IReadOnlyList<string> names)
    {
        if (answer.Tips.Count is < 1 or > 6) return $"{answer.Tips.Count} tips";
        if (answer.Tips.Any(string.IsNullOrWhiteSpace)) return "an empty tip";
        foreach (var tip in answer.Tips)
            if (!NumberGrounding.Check(tip, facts, names).IsGrounded) return "a tip cites a number not in the input";
        return null;
    }

    /// <summary>The model's order and wording over the candidates' own columns; any it left out follow in rule order.</summary>
    static IReadOnlyList<ChartTypeCandidate> Merge(SuggestionAnswer answer, IReadOnlyList<ChartTypeCandidate> candidates)
    {
        var ranked = answer.Suggestions
            .Select(s => candidates[IndexOf(s, candidates)] with { Confidence = s.Confidence, Reason = s.Reason.Trim() })
            .ToList();
        var rest = StatisticalInsightGenerator.Suggest(candidates).Suggestions
            .Where(c => !ranked.Any(r => r.ChartType == c.ChartType && r.XColumn == c.XColumn && r.YColumn == c.YColumn));
        return ranked.Concat(rest).ToList();
    }

    static int IndexOf(RankedCandidate s, IReadOnlyList<ChartTypeCandidate> candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (string.Equals(c.ChartType, s.ChartType, StringComparison.OrdinalIgnoreCase)
                && string.Equals(c.XColumn, s.XColumn, StringComparison.OrdinalIgnoreCase)
                && string.Equals(c.YColumn ?? "", s.YColumn ?? "", StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))));

    /// <summary>The model answered, but not usably (refusal, bad JSON, schema mismatch, ungrounded numbers).</summary>
    sealed class UnusableAnswerException(string reason) : Exception(reason);
}
