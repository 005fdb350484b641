using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Upload.Parsing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChartCraft.Tests.Support.Fakes;

/// <summary>One request a fake provider received, as sent on the wire.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode? Json => Body.Length > 0 && Body.TrimStart().StartsWith('{') ? JsonNode.Parse(Body) : null;
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>A failure to answer instead of the real response, for the next matching request(s).</summary>
public sealed record InjectedFailure(string Method, string PathSuffix, int Status, string Body, string? RetryAfter)
{
    public int Remaining { get; set; } = 1;
}

/// <summary>
/// A small Kestrel app on a free loopback port standing in for a provider's HTTP API: it records every
/// request, can answer the next matching ones with an injected failure, and counts concurrent requests.
/// </summary>
public abstract class FakeProviderServer : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentQueue<RecordedRequest> _requests = new();
    readonly List<InjectedFailure> _failures = [];
    int _inFlight;
    int _maxInFlight;

    protected FakeProviderServer()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddRouting();
        _app = builder.Build();
        _app.Use(async (http, next) =>
        {
            http.Request.EnableBuffering();
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            http.Request.Body.Position = 0;
            var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            _requests.Enqueue(new RecordedRequest(http.Request.Method, http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "", headers, body));
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, now);
            try
            {
                if (ResponseDelay > TimeSpan.Zero) await Task.Delay(ResponseDelay);
                if (TakeFailure(http.Request.Method, http.Request.Path.Value ?? "") is { } failure)
                {
                    http.Response.StatusCode = failure.Status;
                    if (failure.RetryAfter is not null) http.Response.Headers.RetryAfter = failure.RetryAfter;
                    http.Response.ContentType = FailureContentType;
                    await http.Response.WriteAsync(failure.Body);
                    return;
                }
                await next(http);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
        Map(_app);
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Urls.Single().TrimEnd('/');
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseUrl { get; }

    /// <summary>How long every answer waits (to make concurrency observable).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>The most requests that were being answered at the same moment.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string pathSuffix) =>
        Requests.Where(r => r.Method == method && r.Path.EndsWith(pathSuffix, StringComparison.Ordinal)).ToList();

    protected abstract string FailureContentType { get; }

    protected abstract void Map(WebApplication app);

    /// <summary>The next <paramref name="times"/> requests ending with <paramref name="pathSuffix"/> get this answer instead.</summary>
    public void FailNext(string method, string pathSuffix, int status, string body, string? retryAfter = null, int times = 1)
    {
        lock (_failures) _failures.Add(new InjectedFailure(method, pathSuffix, status, body, retryAfter) { Remaining = times });
    }

    InjectedFailure? TakeFailure(string method, string path)
    {
        lock (_failures)
        {
            var failure = _failures.FirstOrDefault(f => f.Method == method && path.EndsWith(f.PathSuffix, StringComparison.Ordinal));
            if (failure is null) return null;
            if (--failure.Remaining == 0) _failures.Remove(failure);
            return failure;
        }
    }

    public void ResetCounters()
    {
        _requests.Clear();
        Interlocked.Exchange(ref _maxInFlight, 0);
    }

    static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    protected static IResult Json(int status, JsonNode body) =>
        Results.Content(body.ToJsonString(), "application/json", statusCode: status);

    protected static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        request.Body.Position = 0;
        var text = await new StreamReader(request.Body).ReadToEndAsync();
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>A 302 to the app's callback, as the provider's consent page sends the browser after "Allow".</summary>
    protected static IResult RedirectWithCode(string redirectUri, string code, string? state) =>
        Results.Redirect($"{redirectUri}{(redirectUri.Contains('?') ? '&' : '?')}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state ?? "")}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
