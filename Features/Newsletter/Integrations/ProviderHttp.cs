using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>
/// A provider refused or failed a call. <see cref="Reason"/> is the provider's own message (Mailchimp's
/// problem detail, Kit's errors), never a credential.
/// </summary>
public sealed class ProviderException(string provider, int? statusCode, string reason, Exception? inner = null)
    : Exception($"{NewsletterProviders.DisplayName(provider)}: {reason}", inner)
{
    public string Provider { get; } = provider;
    /// <summary>The HTTP status the provider answered, or null when it could not be reached.</summary>
    public int? StatusCode { get; } = statusCode;
    public string Reason { get; } = reason;

    /// <summary>The credentials were refused: retrying cannot help, the connection needs attention.</summary>
    public bool IsUnauthorized => StatusCode == 401;

    /// <summary>Worth trying again later: rate limited, a server error, a timeout, no answer.</summary>
    public bool IsTransient => StatusCode is null or 408 or 429 or >= 500;
}

/// <summary>The HTTP pipeline both provider clients share, and turning answers into JSON or <see cref="ProviderException"/>.</summary>
public static class ProviderHttp
{
    /// <summary>A 429 asking for a longer pause is not waited out inline: the job's own retry policy takes over.</summary>
    public static readonly TimeSpan MaxInlineRetryAfter = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromMinutes(3);
    public const int MaxRetries = 3;

    /// <summary>
    /// Outer to inner: a total budget, retries (429 honouring Retry-After for every method; 5xx, 408 and
    /// network errors only for GET/PUT, which are safe to repeat), the per-account limiter, the per-attempt timeout.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, PartitionedRateLimiter<HttpRequestMessage> limiter,
        TimeSpan retryDelay)
    {
        pipeline.AddTimeout(TotalTimeout);
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retryDelay,
            ShouldRetryAfterHeader = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.GetRequestMessage()?.Method)),
        });
        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => limiter.AcquireAsync(args.Context.GetRequestMessage()!, 1, args.Context.CancellationToken),
        });
        pipeline.AddTimeout(AttemptTimeout);
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, HttpMethod? method)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited)
            return RetryAfter(limited) is not { } wait || wait <= MaxInlineRetryAfter;
        var idempotent = method == HttpMethod.Get || method == HttpMethod.Put;
        return idempotent && HttpClientResiliencePredicates.IsTransient(outcome);
    }

    static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    /// <summary>Sends a request and returns its JSON body (null when empty); any non-2xx becomes a <see cref="ProviderException"/>.</summary>
    public static async Task<JsonNode?> SendAsync(HttpClient http, string provider, HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException(provider, null, $"could not be reached ({ex.HttpRequestError})", ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ProviderException(provider, null, "did not answer in time", ex);
        }
        catch (RateLimiterRejectedException ex)
        {
            throw new ProviderException(provider, 429, "too many requests queued for this account", ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? body = null;
            if (!string.IsNullOrWhiteSpace(text))
            {
                try
                {
                    body = JsonNode.Parse(text);
                }
                catch (JsonException) when (!response.IsSuccessStatusCode)
                {
                    // An HTML error page from a proxy: the status says enough.
                }
            }
            if (response.IsSuccessStatusCode) return body;
            throw new ProviderException(provider, (int)response.StatusCode, ErrorReason(body, response.StatusCode));
        }
    }

    /// <summary>
    /// The provider's words for an error: Mailchimp answers Problem Details ({title, detail}), Kit
    /// {"errors": [..]}, OAuth token endpoints {error, error_description}.
    /// </summary>
    public static string ErrorReason(JsonNode? body, HttpStatusCode status)
    {
        if (body is JsonObject o)
        {
            if (o["errors"] is JsonArray errors && errors.Count > 0)
                return string.Join("; ", errors.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s : e?.ToJsonString()));
            var title = Text(o["title"]);
            var detail = Text(o["detail"]);
            if (title is not null || detail is not null)
                return title is not null && detail is not null ? $"{title}: {detail}" : (title ?? detail)!;
            var error = Text(o["error"]);
            var description = Text(o["error_description"]);
            if (error is not null) return description is not null ? $"{error}: {description}" : error;
        }
        return $"HTTP {(int)status} {status}";
    }

    static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    public static HttpRequestMessage Request(HttpMethod method, string url, IntegrationCredentials? account = null, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (account is not null) request.Options.Set(ProviderRateLimits.AccountKey, account.AccountKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }
}
