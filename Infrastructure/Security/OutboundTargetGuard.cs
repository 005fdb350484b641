using System.Net;
using System.Net.Sockets;

namespace ChartCraft.Infrastructure.Security;

/// <summary>Turns a host name into addresses; replaceable so tests can play a DNS server that changes its answer.</summary>
public interface IHostAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

/// <summary>The system resolver.</summary>
public sealed class DnsHostAddressResolver : IHostAddressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>A target (a webhook, a data source's URL) that resolves to an address the server must not call.</summary>
public sealed class TargetRefusedException(string message) : Exception(message);

/// <summary>
/// Keeps the server's outgoing requests (webhooks, fetching a data source's URL) from reaching its own network (SSRF): a
/// target must resolve only to public addresses; a feature's switches may open loopback and private networks (each
/// alone), never link-local or other reserved ranges. Checked when a target is given and again on every connection:
/// <see cref="ConnectAsync"/> connects to exactly the address it checked, so a DNS answer that changes after the check
/// (rebinding) cannot slip a private address in.
/// </summary>
public class OutboundTargetGuard(IHostAddressResolver resolver, bool allowLoopback, bool allowPrivate)
{
    /// <summary>Which switch, if any, may open a refused range.</summary>
    public enum Opening { Never, Loopback, Private }

    static readonly (IPNetwork Network, string Kind)[] RefusedNetworks =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified (\"this network\") address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT (shared) address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address (cloud metadata lives here)"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol-assignment address"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved or broadcast address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("::/96"), "an IPv4-compatible address"),
        // IPv4-translated (RFC 2765, SIIT): ::ffff:0:a.b.c.d reaches a.b.c.d through a translator. (::ffff:0:0/96,
        // one group shorter, is the IPv4-mapped range, unwrapped in WhyRefused.)
        (IPNetwork.Parse("::ffff:0:0:0/96"), "an IPv4-translated address"),
        (IPNetwork.Parse("100::/64"), "a discard address"),
        (IPNetwork.Parse("2001::/32"), "a Teredo tunnel address"),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address"),
        (IPNetwork.Parse("fc00::/7"), "a private (unique local) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    static readonly IPNetwork[] LoopbackNetworks = [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")];
    static readonly IPNetwork[] PrivateNetworks =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("fc00::/7"),
    ];

    // IPv6 forms that carry an IPv4 address inside: the inner address decides.
    static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Why the server must not call this address, or null when it is a public one.</summary>
    public static string? WhyRefused(IPAddress address) => Classify(address).Kind;

    /// <summary>Why an address is refused (null: public) and which switch, if any, may open it.</summary>
    public static (string? Kind, Opening Opening) Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            // Through NAT64 or 6to4 the inner address is what gets reached, but only the plain form may be opened.
            if (Nat64.Contains(address)) return (Classify(new IPAddress(bytes[12..16])).Kind, Opening.Never);
            if (SixToFour.Contains(address)) return (Classify(new IPAddress(bytes[2..6])).Kind, Opening.Never);
        }
        foreach (var (network, kind) in RefusedNetworks)
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                var opening = LoopbackNetworks.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address)) ? Opening.Loopback
                    : PrivateNetworks.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address)) ? Opening.Private
                    : Opening.Never;
                return (kind, opening);
            }
        return (null, Opening.Never);
    }

    bool IsOpened(Opening opening) => opening switch
    {
        Opening.Loopback => allowLoopback,
        Opening.Private => allowPrivate,
        _ => false,
    };

    /// <summary>
    /// The addresses of <paramref name="host"/> (an IP literal stands for itself). Throws
    /// <see cref="TargetRefusedException"/> when any of them is refused: one private answer among
    /// public ones is still a way in.
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        var addresses = IPAddress.TryParse(literal, out var ip) ? [ip] : await resolver.ResolveAsync(host, ct);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        foreach (var address in addresses)
            if (Classify(address) is ({ } kind, var opening) && !IsOpened(opening))
                // Only an address the caller typed is named: saying where a host name resolved would turn
                // creating a webhook or a source into a free probe of the internal DNS.
                throw new TargetRefusedException(literal == address.ToString()
                    ? $"{address} is {kind}"
                    : $"{host} is not a public host");
        return addresses;
    }

    /// <summary>Why the URL's host may not be called (for the request that gives it), or null when it may.</summary>
    public async Task<string?> WhyRefusedAsync(Uri url, CancellationToken ct)
    {
        try
        {
            await ResolveAsync(url.Host, ct);
            return null;
        }
        catch (TargetRefusedException refused)
        {
            return refused.Message;
        }
        catch (SocketException)
        {
            // Same answer as a name that resolves inside: "unknown" against "internal" is also a DNS probe.
            return $"{url.Host} is not a public host";
        }
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve, check, and connect to a checked address.
    /// TLS still verifies the certificate against the URL's host name.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, ct);
        SocketException? lastError = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                // A host with several addresses (e.g. ::1 and 127.0.0.1) may listen on only one: try the next.
                socket.Dispose();
                lastError = ex;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw;
            }
        }
        throw lastError!;
    }
}
