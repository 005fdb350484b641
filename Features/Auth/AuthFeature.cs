using Marten.Schema;

namespace ChartCraft.Features.Auth;

public static class AuthFeature
{
    public static IServiceCollection AddAuthFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(AdminRole.Load(config));
        services.AddSingleton<TokenService>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton(sp => AccountMailLimitSettings.Load(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<AccountMailLimits>();
        services.AddHostedService<EmailKeyMigrationAtStartup>();
        services.AddSingleton(sp => SessionRevocationSettings.Load(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<IAccessTokenRevocation>(sp => sp.GetRequiredService<SessionRevocations>());
        // Also resolves the settings at start, so a bad AUTH_REVOCATION_CACHE_SECONDS stops the app there.
        services.AddHostedService<SessionRevocationRewarm>();
        services.ConfigureMarten((sp, opts) => opts.Listeners.Add(new UserMarkerListener(sp)));
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<User>().UniqueIndex(UniqueIndexType.Computed, "ux_user_normalized_email", x => x.NormalizedEmail);
            // Version checks make two concurrent refreshes of one token conflict instead of both rotating it.
            opts.Schema.For<RefreshToken>().UseOptimisticConcurrency(true).Index(x => x.FamilyId).Index(x => x.UserId);
            opts.Schema.For<AuditEntry>().Index(x => x.UserId);
            // Versioned like refresh tokens: two requests spending one token at once cannot both succeed.
            opts.Schema.For<AccountToken>().UseOptimisticConcurrency(true).Index(x => x.UserId);
        });
        return services;
    }
}
