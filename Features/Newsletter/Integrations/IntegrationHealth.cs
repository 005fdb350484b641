using Prometheus;

namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>
/// Checks that an integration's credentials still work (Mailchimp GET /3.0/ping, Kit GET /v4/account) and
/// records the outcome on it: last_checked_at, last_error and status. The caller stores the document.
/// </summary>
public sealed class IntegrationHealthCheck(IntegrationAccess access, MailchimpClient mailchimp, KitClient kit, TimeProvider clock)
{
    public async Task CheckAsync(Integration integration, CancellationToken ct)
    {
        if (integration.Status == IntegrationStatus.Revoked) return; // nothing to check until the user connects again
        try
        {
            var credentials = await access.CredentialsAsync(integration, ct);
            if (integration.Provider == NewsletterProviders.Mailchimp)
            {
                await mailchimp.PingAsync(credentials, ct);
                integration.RecordSuccess(clock.GetUtcNow());
            }
            else
                integration.RecordSuccess(clock.GetUtcNow(), await kit.GetAccountNameAsync(credentials, ct));
        }
        catch (ProviderException ex)
        {
            integration.RecordFailure(clock.GetUtcNow(), ex.Reason);
        }
    }
}

/// <summary>Integration counts by provider and status, as the gauge chartcraft_integrations{provider,status}.</summary>
public static class IntegrationMetrics
{
    static readonly Gauge Integrations = Metrics.CreateGauge("chartcraft_integrations",
        "Newsletter platform connections by provider and status.", "provider", "status");

    static readonly string[] Statuses = [IntegrationStatus.Connected, IntegrationStatus.Error, IntegrationStatus.Revoked];

    /// <summary>Recounts from the documents (one count per provider and status, in one round trip), so the gauge is right after any change.</summary>
    public static async Task RefreshAsync(IQuerySession session, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var counts = (from provider in NewsletterProviders.All
                      from status in Statuses
                      select (provider, status, count: batch.Query<Integration>().Count(i => i.Provider == provider && i.Status == status))).ToList();
        await batch.Execute(ct);
        foreach (var (provider, status, count) in counts) Integrations.WithLabels(provider, status).Set(await count);
    }
}

/// <summary>The integrations gauge recounted at scrape time, so every instance reports every connection's status.</summary>
public sealed class IntegrationsGauge(IDocumentStore store) : ChartCraft.Infrastructure.Observability.IScrapeTimeGauge
{
    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        await IntegrationMetrics.RefreshAsync(session, ct);
    }
}
