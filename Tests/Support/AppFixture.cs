using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Upload.Parsing;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace ChartCraft.Tests.Support;

/// <summary>
/// Boots the real app once per test collection against real Postgres (a schema of its own, dropped at
/// the end), real Redis (a key prefix of its own) and local blob storage in a temp folder.
/// Tests stay independent by registering their own users; nothing is shared between them.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public string Schema { get; } = TestEnvironment.NewSchema();
    public string StoragePath { get; } = Path.Combine(Path.GetTempPath(), "chartcraft-tests", Guid.NewGuid().ToString("N"));
    public string MailDropPath => Path.Combine(StoragePath, "mail");

    /// <summary>Settings a derived fixture may change (e.g. a low rate limit).</summary>
    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    protected virtual void ConfigureServices(IServiceCollection services) { }

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["DATABASE_URL"] = TestEnvironment.DatabaseUrl,
            ["DATABASE_SCHEMA"] = Schema,
            ["REDIS_URL"] = TestEnvironment.RedisUrl,
            ["REDIS_KEY_PREFIX"] = $"test:{Schema}:",
            ["JWT_SECRET_KEY"] = TestEnvironment.JwtSecret,
            ["DEBUG"] = "false",
            // Each fixture's fresh schema is created at start-up; SchemaMigrationTests covers the production path.
            ["SCHEMA_AUTO_CREATE"] = "true",
            ["BCRYPT_WORK_FACTOR"] = "4",
            ["STORAGE_LOCAL_PATH"] = StoragePath,
            // No SMTP_URL: mails are .eml files here (MailDropTests reads them).
            ["MAIL_DROP_PATH"] = MailDropPath,
            ["ALLOWED_ORIGINS"] = "https://app.example.com,http://localhost:3000",
            ["RATE_LIMIT_PER_MINUTE"] = "100000",
            ["PUBLIC_BASE_URL"] = "http://localhost",
            ["AWS_S3_BUCKET"] = "",
            ["OPENAI_API_KEY"] = "",
            // A failing export is retried within seconds; a fixture may set its own schedule (ExportRetryTests).
            ["EXPORT_RETRY_DELAYS_SECONDS"] = "1,1",
            // Tests read /metrics right after acting; the snapshot cache has its own test.
            ["METRICS_CACHE_SECONDS"] = "0",
            // Every chart change would start Chromium in every fixture; ThumbnailTests turns them on.
            ["CHART_THUMBNAILS"] = "false",
            // InputHardeningTests sweeps every body as this admin, so the admin-only ones are swept too.
            ["ADMIN_EMAILS"] = AdminEmail,
            // Plan limits out of the way of tests about something else; PlanLimitTests uses a fixture with low ones.
            ["Plans:free:MaxFileSizeMb"] = "1024",
            ["Plans:free:Sources"] = "100000",
            ["Plans:free:StoredMb"] = "100000",
            ["Plans:free:Charts"] = "100000",
            ["Plans:free:ExportsPerDay"] = "100000",
            ["Plans:free:AiInsightsPerDay"] = "100000",
            ["Plans:free:PublishesPerDay"] = "100000",
        };
        foreach (var (key, value) in Settings) settings[key] = value;

        Host = await AlbaHost.For<Program>(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.DisableAllExternalWolverineTransports();
                services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, FailingRouteStartupFilter>();
                ConfigureServices(services);
            });
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await using (var connection = new NpgsqlConnection(
                         ChartCraft.Infrastructure.Configuration.ChartCraftSettings.PostgresUrlToConnectionString(TestEnvironment.DatabaseUrl)))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }
        if (Directory.Exists(StoragePath)) Directory.Delete(StoragePath, recursive: true);
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>The one address ADMIN_EMAILS names in every fixture unless it sets its own.</summary>
    public const string AdminEmail = "admin@chartcraft.test";

    /// <summary>Registers a fresh user and returns its tokens and id.</summary>
    public async Task<TestUser> RegisterAsync(string? email = null, string password = "correct horse 42")
    {
        email ??= $"user-{Guid.NewGuid():N}@example.com";
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { email, password, first_name = "Test", last_name = "User" }).ToUrl("/api/auth/register");
            s.StatusCodeShouldBe(201);
        });
        var body = JsonNode.Parse(await result.ReadAsTextAsync())!;
        return new TestUser(Guid.Parse(body["user"]!["id"]!.GetValue<string>()), email, password,
            body["access_token"]!.GetValue<string>(), body["refresh_token"]!.GetValue<string>());
    }

    /// <summary>
    /// Marks the user's email verified, as the link of the verification mail does (Tests/Auth/AccountMailTests follows
    /// that link): for tests of what only verified accounts may do (connecting a newsletter platform).
    /// </summary>
    public async Task<TestUser> VerifyEmailAsync(TestUser user)
    {
        await using var session = Store.LightweightSession();
        var stored = (await session.LoadAsync<ChartCraft.Features.Auth.User>(user.Id))!;
        stored.EmailVerifiedAt = DateTimeOffset.UtcNow;
        session.Store(stored);
        await session.SaveChangesAsync();
        return user;
    }

    /// <summary>Registers a fresh user whose email is verified.</summary>
    public async Task<TestUser> RegisterVerifiedAsync(string? email = null) => await VerifyEmailAsync(await RegisterAsync(email));

    /// <summary>A plain HttpClient on the in-memory server, for requests Alba's DSL does not express.</summary>
    public HttpClient Client(string? accessToken = null)
    {
        var client = Host.Server.CreateClient();
        if (accessToken is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }
}

public sealed record TestUser(Guid Id, string Email, string Password, string AccessToken, string RefreshToken);

/// <summary>
/// Adds GET /api/test/failure, which throws an exception carrying internals (SQL, a path), behind the
/// app's own middleware, to prove a 500 reveals none of it.
/// </summary>
public sealed class FailingRouteStartupFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public const string Path = "/api/test/failure";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Use((http, nextMiddleware) => http.Request.Path == Path
            ? throw new InvalidOperationException("select * from mt_doc_user failed at /srv/chartcraft/Secret.cs:42")
            : nextMiddleware(http));
    };
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "api";
}
