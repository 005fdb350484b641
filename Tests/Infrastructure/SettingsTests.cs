using ChartCraft.Tests.Support;
using System.Diagnostics;
using ChartCraft.Features.Export;
using ChartCraft.Features.Webhooks;
using ChartCraft.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;

namespace ChartCraft.Tests.Infrastructure;

public sealed class SettingsTests
{
    static readonly Dictionary<string, string?> Valid = new()
    {
        ["DATABASE_URL"] = "postgresql://app:s%40cret@db.internal:6543/chartcraft?sslmode=require",
        ["REDIS_URL"] = "redis://:pw@cache.internal:6380/2",
        ["JWT_SECRET_KEY"] = Support.TestEnvironment.JwtSecret,
    };

    static ChartCraftSettings Load(Dictionary<string, string?> overrides)
    {
        var values = new Dictionary<string, string?>(Valid);
        foreach (var (k, v) in overrides) values[k] = v;
        return ChartCraftSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    static InvalidConfigurationException Invalid(Dictionary<string, string?> overrides) =>
        Should.Throw<InvalidConfigurationException>(() => Load(overrides));

    [Fact]
    public void database_url_is_converted_to_npgsql_keywords_with_a_pool_of_10_to_50()
    {
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(Load([]).Database.ConnectionString);
        cs.Host.ShouldBe("db.internal");
        cs.Port.ShouldBe(6543);
        cs.Database.ShouldBe("chartcraft");
        cs.Username.ShouldBe("app");
        cs.Password.ShouldBe("s@cret");
        cs.SslMode.ShouldBe(Npgsql.SslMode.Require);
        cs.MinPoolSize.ShouldBe(10);
        cs.MaxPoolSize.ShouldBe(50);
    }

    [Fact]
    public void redis_url_is_converted_to_a_stackexchange_configuration()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(Load([]).Redis.Configuration);
        options.EndPoints.Single().ToString().ShouldBe("Unspecified/cache.internal:6380");
        options.Password.ShouldBe("pw");
        options.DefaultDatabase.ShouldBe(2);
        options.AbortOnConnectFail.ShouldBeFalse();
        StackExchange.Redis.ConfigurationOptions.Parse(ChartCraftSettings.RedisUrlToConfiguration("rediss://h:1")).Ssl.ShouldBeTrue();
    }

    [Fact]
    public void defaults_follow_the_spec()
    {
        var settings = Load([]);
        settings.Jwt.Algorithm.ShouldBe("HS256");
        settings.Jwt.ExpirationHours.ShouldBe(24);
        settings.App.MaxFileSizeMb.ShouldBe(10);
        settings.App.Debug.ShouldBeFalse();
        settings.Storage.UsesS3.ShouldBeFalse();
        settings.OpenAi.Enabled.ShouldBeFalse();
        settings.App.AllowedOrigins.ShouldBe(["http://localhost:3000"]);
        settings.Jwt.PasswordHashesAtOnce.ShouldBe(Math.Max(1, Environment.ProcessorCount / 2));
    }

    [Fact]
    public void password_hashes_at_once_is_read_and_must_be_at_least_one()
    {
        Load(new() { ["PASSWORD_HASHES_AT_ONCE"] = "3" }).Jwt.PasswordHashesAtOnce.ShouldBe(3);
        Invalid(new() { ["PASSWORD_HASHES_AT_ONCE"] = "0" }).Variable.ShouldBe("PASSWORD_HASHES_AT_ONCE");
    }

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("short", "too weak")]
    [InlineData("your-secret-key-here-your-secret-key-here", "too weak")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "too weak")]
    public void a_missing_or_weak_jwt_secret_stops_the_app_outside_debug(string? secret, string reason)
    {
        var error = Invalid(new() { ["JWT_SECRET_KEY"] = secret });
        error.Variable.ShouldBe("JWT_SECRET_KEY");
        error.Message.ShouldContain(reason);
    }

    [Fact]
    public void debug_mode_tolerates_a_missing_secret_with_a_random_one()
    {
        var settings = Load(new() { ["JWT_SECRET_KEY"] = null, ["DEBUG"] = "true" });
        settings.Jwt.SecretKey.Length.ShouldBeGreaterThanOrEqualTo(32);
    }

    [Theory]
    [InlineData("DATABASE_URL", "mysql://root@localhost/db")]
    [InlineData("DATABASE_URL", "postgresql://localhost")]
    [InlineData("REDIS_URL", "localhost:6379")]
    [InlineData("REDIS_URL", "redis://localhost:6379/zero")]
    [InlineData("AWS_ENDPOINT_URL", "minio:9000")]
    [InlineData("ALLOWED_ORIGINS", "http://ok.example.com,not a url")]
    [InlineData("MAX_FILE_SIZE_MB", "ten")]
    [InlineData("JWT_EXPIRATION_HOURS", "0")]
    [InlineData("JWT_ALGORITHM", "RS256")]
    [InlineData("DEBUG", "maybe")]
    [InlineData("SCHEMA_AUTO_CREATE", "sometimes")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/8, proxy.internal")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/33")]
    public void a_malformed_value_names_its_variable(string variable, string value)
    {
        var error = Invalid(new() { [variable] = value });
        error.Variable.ShouldBe(variable);
        error.Message.ShouldStartWith(variable + ": ");
    }

    [Theory]
    [InlineData("true", null, true)]
    [InlineData("false", null, false)]
    [InlineData("false", "true", true)]
    [InlineData("true", "false", false)]
    public void the_schema_is_created_at_start_up_only_in_debug_unless_told(string debug, string? autoCreate, bool expected)
    {
        var settings = Load(new() { ["DEBUG"] = debug, ["SCHEMA_AUTO_CREATE"] = autoCreate });
        settings.Database.AutoCreateSchema.ShouldBe(expected);
    }

    static IConfiguration Only(string key, string value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

    [Theory]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData("1", true)]
    [InlineData("FALSE", false)]
    [InlineData("no", false)]
    [InlineData("Off", false)]
    [InlineData("0", false)]
    public void every_switch_takes_the_spellings_debug_takes(string value, bool expected)
    {
        Load(new() { ["DEBUG"] = value }).App.Debug.ShouldBe(expected);
        ExportSettings.Load(Only("RENDER_WARM_UP", value)).Rendering.WarmUpOnStart.ShouldBe(expected);
        WebhookOptions.Load(Only("WEBHOOK_ALLOW_PRIVATE_TARGETS", value)).AllowPrivateTargets.ShouldBe(expected);
    }

    [Fact]
    public void a_switch_that_is_not_a_boolean_stops_the_start_with_the_message_debug_gives()
    {
        var debug = Invalid(new() { ["DEBUG"] = "maybe" });
        var warmUp = Should.Throw<InvalidConfigurationException>(() => ExportSettings.Load(Only("RENDER_WARM_UP", "maybe")));
        var privateTargets = Should.Throw<InvalidConfigurationException>(() =>
            WebhookOptions.Load(Only("WEBHOOK_ALLOW_PRIVATE_TARGETS", "maybe")));

        debug.Message.ShouldBe("DEBUG: 'maybe' is not a boolean (true/false)");
        warmUp.Message.ShouldBe("RENDER_WARM_UP: 'maybe' is not a boolean (true/false)");
        privateTargets.Message.ShouldBe("WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe' is not a boolean (true/false)");
    }

    [Fact]
    public void the_app_refuses_to_start_with_one_clear_line_naming_the_variable()
    {
        var appDll = AppBuild.Dll;
        var start = new ProcessStartInfo("dotnet", $"\"{appDll}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppBuild.Folder,
        };
        start.Environment["DATABASE_URL"] = "postgresql://postgres@127.0.0.1:1/x";
        start.Environment["REDIS_URL"] = "redis://127.0.0.1:1";
        start.Environment["JWT_SECRET_KEY"] = "weak";
        start.Environment["DEBUG"] = "false";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit(30_000).ShouldBeTrue();
        process.ExitCode.ShouldBe(1);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1);
        lines[0].ShouldContain("JWT_SECRET_KEY");
        lines[0].ShouldContain("too weak");
        lines[0].ShouldNotContain("   at ");
    }
}
