namespace ChartCraft.Features.Account;

/// <summary>
/// Leaving with one's data: the account zip (<see cref="ExportAccountEndpoint"/>, kept like every export for
/// EXPORT_RETENTION_HOURS) and account deletion (<see cref="DeleteAccountEndpoint"/>). No documents of its own: the zip
/// is an export job, and deletion removes what the other features own.
/// </summary>
public static class AccountDataFeature
{
    public static IServiceCollection AddAccountDataFeature(this IServiceCollection services)
    {
        services.AddSingleton<AccountArchiveWriter>();
        return services;
    }
}
