using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace ChartCraft.Features.Webhooks;

/// <summary>How an attempt ended, which decides what happens next.</summary>
public enum AttemptOutcome
{
    /// <summary>2xx.</summary>
    Succeeded,

    /// <summary>Any other status, a timeout or a connection error: worth retrying.</summary>
    Failed,

    /// <summary>410 Gone: the receiver asks for no more deliveries.</summary>
    Gone,

    /// <summary>The target resolved to an address the server must not call: retrying would not help.</summary>
    Refused,
}

/// <summary>One attempt's record and its outcome.</summary>
public sealed record WebhookSendResult(AttemptOutcome Outcome, WebhookAttempt Attempt);

/// <summary>
/// Sends one signed delivery attempt (Standard Webhooks headers) over the "webhooks" HttpClient, whose
/// handler follows no redirects, uses no proxy and connects only through <see cref="WebhookTargetGuard"/>.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, TimeProvider clock)
{
    public const string HttpClientName = "webhooks";

    public async Task<WebhookSendResult> SendAsync(string url, Guid deliveryId, string body, string secret, int attempt,
        CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var webhookId = deliveryId.ToString();
        var timestamp = at.ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", StandardWebhookSignature.Sign(secret, webhookId, timestamp, bytes));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ChartCraft-Webhooks", "1.0"));

        var started = Stopwatch.GetTimestamp();
        long Elapsed() => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            // Headers are enough: the status decides, and a receiver's body is not read (nor stored).
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            var outcome = status switch
            {
                >= 200 and < 300 => AttemptOutcome.Succeeded,
                410 => AttemptOutcome.Gone,
                _ => AttemptOutcome.Failed,
            };
            var error = outcome == AttemptOutcome.Succeeded ? null
                : status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed; use the final URL"
                : $"HTTP {status}";
            return new(outcome, new WebhookAttempt(attempt, at, status, Elapsed(), error));
        }
        catch (HttpRequestException ex) when (ex.InnerException is TargetRefusedException refused)
        {
            return new(AttemptOutcome.Refused, new WebhookAttempt(attempt, at, null, Elapsed(), $"refused: {refused.Message}"));
        }
        catch (HttpRequestException ex)
        {
            return new(AttemptOutcome.Failed, new WebhookAttempt(attempt, at, null, Elapsed(), ex.Message));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            // HttpClient.Timeout surfaces as a cancellation the caller did not ask for.
            return new(AttemptOutcome.Failed, new WebhookAttempt(attempt, at, null, Elapsed(), "timed out"));
        }
    }
}
