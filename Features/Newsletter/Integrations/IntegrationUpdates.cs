namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>Saving connections: a new or replaced one, and what a check or a publish learned about one.</summary>
public static class IntegrationUpdates
{
    /// <summary>Stores a verified connection for the user, replacing an earlier one to the same provider.</summary>
    public static async Task<Integration> ConnectAsync(IDocumentSession session, Guid userId, string provider, string authMethod,
        VerifiedConnection verified, CredentialProtector protector, DateTimeOffset now, CancellationToken ct)
    {
        var id = Integration.IdFor(userId, provider);
        var integration = await session.LoadAsync<Integration>(id, ct) ?? new Integration { Id = id, UserId = userId, Provider = provider };
        integration.AuthMethod = authMethod;
        integration.ConnectedAt = now;
        integration.ProtectedCredentials = protector.Protect(verified.Credentials);
        integration.Status = IntegrationStatus.Connected;
        integration.RecordSuccess(now, verified.AccountName);
        session.Store(integration);
        await session.SaveChangesAsync(ct);
        await IntegrationMetrics.RefreshAsync(session, ct);
        return integration;
    }

    /// <summary>
    /// Updates the integration if it is still the version that was loaded: when the user connected again or
    /// disconnected meanwhile, the newer state wins and this outcome is dropped (false).
    /// </summary>
    public static async Task<bool> TrySaveAsync(IDocumentStore store, Integration integration, ILogger logger, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.UpdateExpectedVersion(integration, integration.Version);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception ex) when (Concurrency.IsConflict(ex))
        {
            logger.LogInformation("The {Provider} connection changed while it was in use; keeping the newer state", integration.Provider);
            return false;
        }
    }
}
