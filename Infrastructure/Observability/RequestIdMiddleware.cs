using System.Text.RegularExpressions;
using Serilog.Context;

namespace ChartCraft.Infrastructure.Observability;

/// <summary>
/// Gives every request an id (the caller's X-Request-Id when it is sane, else a new one), echoes it in
/// the response, uses it as the trace id of problem details and attaches it to every log line.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex SafeId();

    public async Task InvokeAsync(HttpContext http)
    {
        var incoming = http.Request.Headers[Header].ToString();
        // An id that could forge log lines or headers is replaced, not echoed.
        var id = SafeId().IsMatch(incoming) ? incoming : Guid.NewGuid().ToString("N");
        http.TraceIdentifier = id;
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        using (LogContext.PushProperty("RequestId", id))
            await next(http);
    }
}
