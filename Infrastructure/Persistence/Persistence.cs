using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Observability;
using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;
using Weasel.Core;
using Wolverine;
using Wolverine.Marten;

namespace ChartCraft.Infrastructure.Persistence;

/// <summary>
/// Marten (documents + events in Postgres), Wolverine (durable messages with the Marten outbox),
/// Redis (cache L2, rate limits), Data Protection keys in PostgreSQL. Features add their documents through
/// <see cref="IConfigureMarten"/> implementations and their handlers by convention.
/// </summary>
public static class Persistence
{
    public static IServiceCollection AddChartCraftPersistence(this IServiceCollection services, ChartCraftSettings settings,
        bool withMessaging)
    {
        var marten = services.AddMarten(opts =>
            {
                opts.Connection(settings.Database.ConnectionString);
                opts.DatabaseSchemaName = settings.Database.Schema;
                opts.UseSystemTextJsonForSerialization(casing: Casing.SnakeCase);
                // In production the schema changes only through `migrate` (SchemaMigrations), never at start-up.
                opts.AutoCreateSchemaObjects = settings.Database.AutoCreateSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
                opts.Events.DatabaseSchemaName = settings.Database.Schema;
                opts.Schema.For<DataProtectionKey>();
                opts.Schema.For<ChartCraft.Infrastructure.Hosting.ScheduledRun>();
            })
            .UseLightweightSessions();
        if (settings.Database.AutoCreateSchema) marten.ApplyAllDatabaseChangesOnStartup();
        services.AddSingleton<ChartCraft.Infrastructure.Hosting.IntervalClaims>();
        if (withMessaging)
            marten.IntegrateWithWolverine(w => w.MessageStorageSchemaName = settings.Database.Schema);

        // Redis is reached lazily and reconnects on its own (abortConnect=false), so a Redis outage never stops
        // start-up; features see RedisException and degrade. While it is away, commands fail at once instead of
        // waiting in the client's backlog for the 2 s timeout: every fallback (local rate limits, revocations and
        // chart versions from PostgreSQL) is then as fast as it would be with Redis.
        services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(settings.Redis.Configuration);
            options.BacklogPolicy = BacklogPolicy.FailFast;
            return ConnectionMultiplexer.Connect(options);
        });
        services.AddStackExchangeRedisCache(o => o.InstanceName = settings.Redis.KeyPrefix + "cache:");
        services.AddOptions<RedisCacheOptions>().Configure<IConnectionMultiplexer>((o, redis) =>
            o.ConnectionMultiplexerFactory = () => Task.FromResult(redis));
        services.AddHybridCache(o =>
        {
            o.MaximumPayloadBytes = 16 * 1024 * 1024;
            o.DefaultEntryOptions = new Microsoft.Extensions.Caching.Hybrid.HybridCacheEntryOptions
            {
                Expiration = TimeSpan.FromHours(1),
                LocalCacheExpiration = TimeSpan.FromMinutes(10),
            };
        });
        // Keys in PostgreSQL so every instance can read what another protected (integration credentials, webhook
        // secrets), and they last as long as the data they protect.
        services.AddDataProtection().SetApplicationName("chartcraft");
        services.AddOptions<KeyManagementOptions>().Configure<IDocumentStore, IServiceProvider>((o, store, provider) =>
            o.XmlRepository = new MartenXmlRepository(store, provider.GetRequiredService<IConnectionMultiplexer>,
                settings.Redis.KeyPrefix + "data-protection-keys"));
        return services;
    }

    /// <summary>Where <c>codegen write</c> puts the handlers' code, when not the project's Internal/Generated (tests).</summary>
    public const string GeneratedCodePathVariable = "CODEGEN_OUTPUT_PATH";

    public static void UseChartCraftMessaging(this ConfigureHostBuilder host, DatabaseSettings database, bool withPersistence)
    {
        host.UseWolverine(opts =>
        {
            if (!database.AutoCreateSchema) opts.AutoBuildMessageStorageOnStartup = AutoCreate.None;
            opts.ApplicationAssembly = typeof(Persistence).Assembly;
            // Handlers run code generated ahead of time (Internal/Generated, written by scripts/codegen.sh and compiled
            // with the app), not code compiled with Roslyn at run time: compiling it held about 200 MB per instance
            // (resident 604 → 396 MiB after five 10 MB uploads). A handler whose code is missing fails at once, and
            // GeneratedHandlerCodeTests fails when the files differ from what Wolverine would generate now.
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            // Message ids from Guid.CreateVersion7 (time and 74 random bits). Wolverine's default builds them from the
            // network card's address, the time and a per-thread counter, so instances on one host (or containers that
            // share an address) can make the same id: at 1 000 simulated users on three instances a chart creation got
            // a 500 from a duplicate key in wolverine_incoming_envelopes.
            opts.EnvelopeIdGeneration = EnvelopeIdGeneration.GuidV7;
            if (Environment.GetEnvironmentVariable(GeneratedCodePathVariable) is { Length: > 0 } generatedCodePath)
                opts.CodeGeneration.GeneratedCodeOutputPath = generatedCodePath;
            // chartcraft_job_duration_seconds, and a report (metric, Sentry) for every message that is dead-lettered.
            opts.Policies.AddMiddleware(typeof(JobTiming));
            opts.Policies.AllLocalQueues(q => q.UseWireTap());
            if (withPersistence)
            {
                opts.Policies.AutoApplyTransactions();
                opts.Policies.UseDurableLocalQueues();
                opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
                opts.Policies.UseDurableInboxOnAllListeners();
            }
        });
    }
}
