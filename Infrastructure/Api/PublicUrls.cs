using ChartCraft.Infrastructure.Configuration;

namespace ChartCraft.Infrastructure.Api;

/// <summary>
/// The absolute base of every link the app hands out (embed snippets, app-signed downloads, newsletter links, the
/// OAuth redirect URI), decided in one place:
/// <list type="number">
/// <item>PUBLIC_BASE_URL when it is set: the canonical address. It must be set wherever a link has to match something
/// registered elsewhere: an OAuth provider compares the redirect URI with the one registered for the app.</item>
/// <item>otherwise, during a request, that request's scheme and host (and path base) as the forwarded-headers
/// middleware left them: X-Forwarded-Proto/-Host count only from TRUSTED_PROXIES, so behind the balancer links carry
/// the address the client used, and an untrusted caller's headers change nothing.</item>
/// <item>otherwise (background work, no request) <see cref="FallbackBaseUrl"/>.</item>
/// </list>
/// </summary>
public sealed class PublicUrls(AppSettings app, IHttpContextAccessor http)
{
    /// <summary>The app's default address (run.sh, PORT 3001), for links built with neither a setting nor a request.</summary>
    public const string FallbackBaseUrl = "http://localhost:3001";

    /// <summary>scheme://host[:port][/path-base], without a trailing slash.</summary>
    public string BaseUrl
    {
        get
        {
            if (app.PublicBaseUrl is { } configured) return configured;
            var request = http.HttpContext?.Request;
            return request is { Host.HasValue: true }
                ? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}"
                : FallbackBaseUrl;
        }
    }

    /// <summary>An absolute link to <paramref name="pathAndQuery"/> ("/embed/…"), which starts with a slash.</summary>
    public string To(string pathAndQuery) => BaseUrl + pathAndQuery;
}
