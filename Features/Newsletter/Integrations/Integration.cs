namespace ChartCraft.Features.Newsletter.Integrations;

/// <summary>The newsletter platforms a chart can be published to.</summary>
public static class NewsletterProviders
{
    public const string Mailchimp = "mailchimp";
    public const string ConvertKit = "convertkit";

    public static readonly IReadOnlyList<string> All = [Mailchimp, ConvertKit];

    public static bool IsKnown(string? provider) => provider is not null && All.Contains(provider);

    /// <summary>The name users know the provider by, for messages.</summary>
    public static string DisplayName(string provider) => provider == Mailchimp ? "Mailchimp" : "Kit";

    /// <summary>Route values: an unknown provider is a resource that does not exist.</summary>
    public static string FromRoute(string? provider) =>
        IsKnown(provider) ? provider! : throw new ProblemException(404, "Unknown provider",
            $"Provider must be one of: {string.Join(", ", All)}.");
}

public static class IntegrationStatus
{
    public const string Connected = "connected";
    /// <summary>The last check or publish failed (see last_error); publishing still tries.</summary>
    public const string Error = "error";
    /// <summary>The provider withdrew the grant (refresh refused): connect again.</summary>
    public const string Revoked = "revoked";
}

public static class AuthMethods
{
    public const string ApiKey = "api_key";
    public const string OAuth = "oauth";
}

/// <summary>
/// A user's connection to one provider (one per user and provider). The credentials are a Data Protection
/// payload: the plain key or token is never stored, returned or logged.
/// </summary>
public sealed class Integration : IOwnedDocument
{
    /// <summary>"{user id}:{provider}", so connecting again replaces the connection.</summary>
    public string Id { get; set; } = "";
    public Guid UserId { get; set; }
    public string Provider { get; set; } = "";
    public string AuthMethod { get; set; } = AuthMethods.ApiKey;
    public string Status { get; set; } = IntegrationStatus.Connected;
    public string? AccountName { get; set; }
    public DateTimeOffset ConnectedAt { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public string? LastError { get; set; }
    public string ProtectedCredentials { get; set; } = "";
    /// <summary>Marten's version of the document, for optimistic concurrency.</summary>
    [Marten.Schema.Version] public Guid Version { get; set; }

    public static string IdFor(Guid userId, string provider) => $"{userId:N}:{provider}";

    public void RecordSuccess(DateTimeOffset at, string? accountName = null)
    {
        Status = IntegrationStatus.Connected;
        LastError = null;
        LastCheckedAt = at;
        if (!string.IsNullOrWhiteSpace(accountName)) AccountName = accountName;
    }

    public void RecordFailure(DateTimeOffset at, string error, bool revoked = false)
    {
        // Only connecting again undoes a revocation.
        Status = revoked || Status == IntegrationStatus.Revoked ? IntegrationStatus.Revoked : IntegrationStatus.Error;
        LastError = error;
        LastCheckedAt = at;
    }
}

/// <summary>An integration as the API shows it: never the credentials.</summary>
public sealed record IntegrationResponse(string Provider, string Status, string AuthMethod, string? AccountName,
    DateTimeOffset ConnectedAt, DateTimeOffset? LastCheckedAt, string? LastError)
{
    public static IntegrationResponse From(Integration i) =>
        new(i.Provider, i.Status, i.AuthMethod, i.AccountName, i.ConnectedAt, i.LastCheckedAt, i.LastError);
}

public static class Integrations
{
    public static Task<Integration?> LoadIntegrationAsync(this IQuerySession session, Guid userId, string provider, CancellationToken ct) =>
        session.LoadAsync<Integration>(Integration.IdFor(userId, provider), ct);

    public static ProblemException NotConnected(string provider) =>
        new(404, "Integration not found", $"No {NewsletterProviders.DisplayName(provider)} connection.");
}
