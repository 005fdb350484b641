using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Infrastructure.Security;

/// <summary>Headers that keep browsers from sniffing, framing or leaking referrers; HSTS outside DEBUG.</summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, AppSettings app)
{
    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.TryAdd("Referrer-Policy", "strict-origin-when-cross-origin");
            // Embeddable pages (later features) set their own frame policy before the response starts.
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            }
            headers.TryAdd("Cross-Origin-Opener-Policy", "same-origin");
            if (!app.Debug) headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        });
        return next(http);
    }
}

public static class CorsSetup
{
    public static readonly string[] ExposedHeaders =
        ["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "Retry-After", "Content-Disposition"];

    /// <summary>CORS for the origins in ALLOWED_ORIGINS only ("*" must be spelled out to allow any).</summary>
    public static IServiceCollection AddChartCraftCors(this IServiceCollection services, AppSettings app) =>
        services.AddCors(o => o.AddDefaultPolicy(policy =>
        {
            if (app.AllowedOrigins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins([.. app.AllowedOrigins]);
            policy.AllowAnyHeader().AllowAnyMethod().WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
}
