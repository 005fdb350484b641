using ChartCraft.Features.Messages;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Infrastructure.Persistence;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The Data Protection keys that encrypt integration credentials and webhook secrets live in PostgreSQL: an app
/// restarted against an empty Redis still reads what it stored.
/// </summary>
public sealed class DataProtectionKeyTests
{
    /// <summary>An app instance on a given schema, with a Redis key prefix of its own (an empty Redis, as far as it can tell).</summary>
    sealed class Instance(string? schema = null) : AppFixture
    {
        public string SharedSchema => schema ?? Schema;
        public string RedisPrefix { get; } = $"test:{Guid.NewGuid():N}:";

        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true",
            ["DATABASE_SCHEMA"] = SharedSchema,
            ["REDIS_KEY_PREFIX"] = RedisPrefix,
        };
    }

    [Fact]
    public async Task after_a_restart_with_redis_wiped_a_stored_credential_decrypts_and_a_webhook_signs_with_its_old_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var first = new Instance();
        await first.InitializeAsync();
        Instance? second = null;
        try
        {
            var user = await first.RegisterAsync();
            var webhook = await first.CreateWebhookOkAsync(user, $"http://127.0.0.1:{receiver.Port}/hook", WebhookEventTypes.DataSourceCreated);
            var sealedCredential = first.Host.Services.GetRequiredService<CredentialProtector>()
                .Protect(new IntegrationCredentials(AuthMethods.ApiKey, "mc-key-us21"));
            await first.Host.DisposeAsync();

            second = new Instance(first.Schema);
            await second.InitializeAsync();
            second.RedisPrefix.ShouldNotBe(first.RedisPrefix);

            second.Host.Services.GetRequiredService<CredentialProtector>().Unprotect(sealedCredential).Secret.ShouldBe("mc-key-us21");
            await second.UploadOkAsync(user, "city,visits\nOslo,12\n");
            var request = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30)))[0];
            StandardWebhooksVerifier.Verify(webhook["secret"]!.GetValue<string>(), request).ShouldBeTrue();
        }
        finally
        {
            if (second is not null) await second.Host.DisposeAsync();
            await TestSchemas.DropAsync(first.Schema);
            foreach (var path in new[] { first.StoragePath, second?.StoragePath })
                if (path is not null && Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public async Task keys_an_earlier_version_kept_in_redis_are_copied_to_postgres_and_still_decrypt()
    {
        var prefix = $"test:{Guid.NewGuid():N}:";
        var redis = await ConnectionMultiplexer.ConnectAsync(
            ChartCraft.Infrastructure.Configuration.ChartCraftSettings.RedisUrlToConfiguration(TestEnvironment.RedisUrl));
        // Protected the way earlier versions did: keys in a Redis list.
        var legacy = new ServiceCollection();
        legacy.AddDataProtection().SetApplicationName("chartcraft").PersistKeysToStackExchangeRedis(redis, prefix + "data-protection-keys");
        var protectedBefore = legacy.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>()
            .CreateProtector(CredentialProtector.Purpose).Protect("""{"method":"api_key","secret":"kit-key-1"}""");

        var app = new LegacyRedisInstance(prefix);
        await app.InitializeAsync();
        try
        {
            app.Host.Services.GetRequiredService<CredentialProtector>().Unprotect(protectedBefore).Secret.ShouldBe("kit-key-1");
            await using var session = app.Store.QuerySession();
            (await session.Query<DataProtectionKey>().CountAsync()).ShouldBe(1);
        }
        finally
        {
            await app.DisposeAsync();
            await redis.GetDatabase().KeyDeleteAsync(prefix + "data-protection-keys");
            await redis.DisposeAsync();
        }
    }

    sealed class LegacyRedisInstance(string prefix) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["REDIS_KEY_PREFIX"] = prefix };
    }
}
