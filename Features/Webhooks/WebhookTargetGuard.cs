using System.Net;

namespace ChartCraft.Features.Webhooks;

/// <summary>The resolver webhooks use; replaceable so tests can play a DNS server that changes its answer.</summary>
public interface IWebhookHostResolver : IHostAddressResolver;

/// <summary>The system resolver.</summary>
public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>
/// The outbound guard (<see cref="OutboundTargetGuard"/>) as webhooks configure it: WEBHOOK_ALLOW_LOOPBACK_TARGETS and
/// WEBHOOK_ALLOW_PRIVATE_TARGETS open loopback and private networks. Checked when a webhook is created and on every
/// delivery's connection.
/// </summary>
public sealed class WebhookTargetGuard(IWebhookHostResolver resolver, WebhookOptions options)
    : OutboundTargetGuard(resolver, options.AllowLoopbackTargets, options.AllowPrivateTargets)
{
    /// <summary>Why a webhook may not use this URL (for the create request), or null when it may.</summary>
    public async Task<string?> CheckAsync(Uri url, CancellationToken ct) =>
        await WhyRefusedAsync(url, ct) is { } refusal ? $"refused: {refusal}; webhooks may only target public addresses" : null;
}
