using ChartCraft.Infrastructure.Configuration;
using Microsoft.AspNetCore.HttpOverrides;

namespace ChartCraft.Infrastructure.Security;

/// <summary>
/// Behind a load balancer the connection comes from the proxy, so rate limits, logs and audit entries would all see
/// one address. X-Forwarded-For/-Proto/-Host are believed only from TRUSTED_PROXIES (IPs and CIDR ranges; empty: from
/// nobody, not even loopback), walking the X-Forwarded-For chain from the right while the hop is trusted, so a client
/// cannot name itself by sending the header: an untrusted peer's headers change nothing.
/// </summary>
public static class TrustedProxies
{
    public static IServiceCollection AddChartCraftForwardedHeaders(this IServiceCollection services, AppSettings app)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // ASP.NET Core trusts loopback by default; here only what the operator lists.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in app.TrustedProxies ?? []) options.KnownIPNetworks.Add(network);
            // Several trusted hops (CDN → load balancer → nginx) each append one address.
            options.ForwardLimit = null;
        });
        return services;
    }
}
