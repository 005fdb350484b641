using System.Globalization;
using Npgsql;
using static ChartCraft.Infrastructure.Configuration.SettingValues;

namespace ChartCraft.Infrastructure.Configuration;

/// <summary>A configuration value that makes the app unsafe or unable to run; the message names the variable.</summary>
public sealed class InvalidConfigurationException(string variable, string reason)
    : Exception($"{variable}: {reason}")
{
    public string Variable { get; } = variable;
}

/// <summary>General application settings (DEBUG, ALLOWED_ORIGINS, MAX_FILE_SIZE_MB, limits).</summary>
/// <param name="PublicBaseUrl">PUBLIC_BASE_URL, or null when unset: links then follow the request (see
/// <see cref="Api.PublicUrls"/>, the one place that builds them).</param>
public sealed record AppSettings(
    bool Debug,
    IReadOnlyList<string> AllowedOrigins,
    int MaxFileSizeMb,
    int RateLimitPerMinute,
    string? PublicBaseUrl,
    string FrontendUrl,
    int DataSetCacheMb = 256,
    IReadOnlyList<System.Net.IPNetwork>? TrustedProxies = null)
{
    public long MaxFileSizeBytes => MaxFileSizeMb * 1024L * 1024L;
    public long DataSetCacheBytes => DataSetCacheMb * 1024L * 1024L;
}

/// <summary>PostgreSQL connection (from DATABASE_URL) and the schema Marten and Wolverine use.</summary>
/// <param name="AutoCreateSchema">SCHEMA_AUTO_CREATE (default: DEBUG): create and alter tables at start-up. Off in
/// production, where `dotnet ChartCraft.dll migrate` applies deploy/migrations and the app refuses a schema behind it.</param>
public sealed record DatabaseSettings(string ConnectionString, string Schema, bool AutoCreateSchema);

/// <summary>Redis connection (from REDIS_URL) in StackExchange.Redis configuration form.</summary>
public sealed record RedisSettings(string Configuration, string KeyPrefix);

/// <summary>Blob storage: S3 when AWS_S3_BUCKET is set, else a local folder.</summary>
public sealed record StorageSettings(
    string? Bucket,
    string Region,
    string? AccessKeyId,
    string? SecretAccessKey,
    string? EndpointUrl,
    string LocalPath,
    TimeSpan DownloadLinkLifetime,
    string? PublicEndpointUrl = null)
{
    public bool UsesS3 => !string.IsNullOrWhiteSpace(Bucket);

    /// <summary>
    /// Where browsers (and newsletter readers) reach the same S3 service: presigned links are signed for this host,
    /// while the app itself talks to <see cref="EndpointUrl"/> (e.g. http://minio:9000 inside compose, http://localhost:9000
    /// outside). Defaults to <see cref="EndpointUrl"/>.
    /// </summary>
    public string? LinkEndpointUrl => PublicEndpointUrl ?? EndpointUrl;
}

/// <summary>Access and refresh token settings.</summary>
public sealed record JwtSettings(
    string SecretKey,
    string Algorithm,
    int ExpirationHours,
    int RefreshTokenDays,
    int BcryptWorkFactor,
    string Issuer,
    int PasswordHashesAtOnce = 1)
{
    public TimeSpan AccessTokenLifetime => TimeSpan.FromHours(ExpirationHours);
}

/// <summary>OpenAI access; insights fall back to the statistical engine without a key.</summary>
public sealed record OpenAiSettings(string? ApiKey, string Model, string? BaseUrl)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKey);
}

/// <summary>
/// Every setting of the service, read from the spec's environment variables (or the same keys in
/// appsettings.json) and validated once at start-up so a bad value stops the app with one clear line.
/// </summary>
public sealed record ChartCraftSettings(
    AppSettings App,
    DatabaseSettings Database,
    RedisSettings Redis,
    StorageSettings Storage,
    JwtSettings Jwt,
    OpenAiSettings OpenAi)
{
    // HS256 needs a key at least as long as its 256-bit output (RFC 7518 §3.2).
    public const int MinimumSecretLength = 32;
    static readonly string[] PlaceholderSecrets = ["your-secret-key", "changeme", "change-me"];
    static readonly string[] SupportedAlgorithms = ["HS256", "HS384", "HS512"];

    public static ChartCraftSettings Load(IConfiguration config)
    {
        var debug = Bool(config, "DEBUG", false);
        var app = new AppSettings(
            debug,
            Origins(config["ALLOWED_ORIGINS"]),
            Int(config, "MAX_FILE_SIZE_MB", 10, 1, 1024),
            Int(config, "RATE_LIMIT_PER_MINUTE", 100, 1, 1_000_000),
            Blank(config["PUBLIC_BASE_URL"]) is { } publicBase ? Url(config, "PUBLIC_BASE_URL", publicBase).TrimEnd('/') : null,
            Url(config, "FRONTEND_URL", "http://localhost:3000").TrimEnd('/'),
            Int(config, "DATASET_CACHE_MB", 256, 16, 64 * 1024),
            Networks(config, "TRUSTED_PROXIES"));

        var database = new DatabaseSettings(
            PostgresUrlToConnectionString(Required(config, "DATABASE_URL")),
            Identifier(config, "DATABASE_SCHEMA", "chartcraft"),
            Bool(config, "SCHEMA_AUTO_CREATE", debug));

        var redis = new RedisSettings(
            RedisUrlToConfiguration(Required(config, "REDIS_URL")),
            config["REDIS_KEY_PREFIX"] is { Length: > 0 } prefix ? prefix : "chartcraft:");

        var endpoint = config["AWS_ENDPOINT_URL"];
        if (!string.IsNullOrWhiteSpace(endpoint)) Url(config, "AWS_ENDPOINT_URL", endpoint);
        var publicEndpoint = Blank(config["AWS_PUBLIC_ENDPOINT_URL"]);
        if (publicEndpoint is not null) Url(config, "AWS_PUBLIC_ENDPOINT_URL", publicEndpoint);
        var storage = new StorageSettings(
            Blank(config["AWS_S3_BUCKET"]),
            config["AWS_REGION"] is { Length: > 0 } region ? region : "us-east-1",
            Blank(config["AWS_ACCESS_KEY_ID"]),
            Blank(config["AWS_SECRET_ACCESS_KEY"]),
            Blank(endpoint),
            config["STORAGE_LOCAL_PATH"] is { Length: > 0 } local ? local : Path.Combine(".data", "files"),
            TimeSpan.FromMinutes(Int(config, "DOWNLOAD_URL_EXPIRY_MINUTES", 60, 1, 7 * 24 * 60)),
            publicEndpoint);

        var jwt = new JwtSettings(
            Secret(config["JWT_SECRET_KEY"], debug),
            Algorithm(config["JWT_ALGORITHM"]),
            Int(config, "JWT_EXPIRATION_HOURS", 24, 1, 24 * 30),
            Int(config, "REFRESH_TOKEN_DAYS", 30, 1, 365),
            Int(config, "BCRYPT_WORK_FACTOR", 12, 4, 16),
            "chartcraft",
            Int(config, "PASSWORD_HASHES_AT_ONCE", Math.Max(1, Environment.ProcessorCount / 2), 1, 256));

        var openAi = new OpenAiSettings(
            Blank(config["OPENAI_API_KEY"]),
            config["OPENAI_MODEL"] is { Length: > 0 } model ? model : "gpt-4o-mini",
            Blank(config["OPENAI_BASE_URL"]) is { } baseUrl ? Url(config, "OPENAI_BASE_URL", baseUrl) : null);

        return new ChartCraftSettings(app, database, redis, storage, jwt, openAi);
    }

    /// <summary>postgresql://user:pass@host:port/db?sslmode=require → Npgsql keywords, pool 10–50.</summary>
    public static string PostgresUrlToConnectionString(string url)
    {
        if (!url.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || !url.Contains("://"))
        {
            // Accept an Npgsql keyword string too (Host=...;Database=...) for operators who have one.
            try
            {
                var keywords = new NpgsqlConnectionStringBuilder(url);
                if (string.IsNullOrEmpty(keywords.Host)) throw new ArgumentException("no host");
                return WithPool(keywords).ConnectionString;
            }
            catch (ArgumentException)
            {
                throw new InvalidConfigurationException("DATABASE_URL", "expected postgresql://user:password@host:port/database");
            }
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "postgres")
            || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath.Trim('/').Length == 0)
            throw new InvalidConfigurationException("DATABASE_URL", "expected postgresql://user:password@host:port/database");

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase)
                && Enum.TryParse<SslMode>(kv[1], true, out var ssl))
                builder.SslMode = ssl;
        }
        return WithPool(builder).ConnectionString;
    }

    static NpgsqlConnectionStringBuilder WithPool(NpgsqlConnectionStringBuilder builder)
    {
        builder.MinPoolSize = 10;
        builder.MaxPoolSize = 50;
        return builder;
    }

    /// <summary>redis://[:password@]host:port[/db] or rediss:// → StackExchange.Redis configuration.</summary>
    public static string RedisUrlToConfiguration(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || string.IsNullOrEmpty(uri.Host))
            throw new InvalidConfigurationException("REDIS_URL", "expected redis://[:password@]host:port[/db]");
        var parts = new List<string> { $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}" };
        var db = uri.AbsolutePath.Trim('/');
        if (db.Length > 0)
        {
            if (!int.TryParse(db, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new InvalidConfigurationException("REDIS_URL", $"database '{db}' is not a number");
            parts.Add($"defaultDatabase={index}");
        }
        if (uri.UserInfo.Length > 0)
        {
            var info = uri.UserInfo.Split(':', 2);
            if (info.Length == 2)
            {
                if (info[0].Length > 0) parts.Add($"user={Uri.UnescapeDataString(info[0])}");
                parts.Add($"password={Uri.UnescapeDataString(info[1])}");
            }
            else parts.Add($"password={Uri.UnescapeDataString(info[0])}");
        }
        if (uri.Scheme == "rediss") parts.Add("ssl=true");
        // Keep retrying in the background instead of failing start-up when Redis is briefly away.
        parts.Add("abortConnect=false");
        parts.Add("connectTimeout=2000");
        parts.Add("syncTimeout=2000");
        parts.Add("asyncTimeout=2000");
        return string.Join(',', parts);
    }

    static string Secret(string? value, bool debug)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (debug) return Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
            throw new InvalidConfigurationException("JWT_SECRET_KEY", "is required outside DEBUG (at least 32 random characters)");
        }
        if (!debug && (value.Length < MinimumSecretLength || PlaceholderSecrets.Any(p => value.Contains(p, StringComparison.OrdinalIgnoreCase))
                       || value.Distinct().Count() < 8))
            throw new InvalidConfigurationException("JWT_SECRET_KEY", $"is too weak: use at least {MinimumSecretLength} random characters");
        return value;
    }

    static string Algorithm(string? value)
    {
        var algorithm = string.IsNullOrWhiteSpace(value) ? "HS256" : value.Trim().ToUpperInvariant();
        return SupportedAlgorithms.Contains(algorithm)
            ? algorithm
            : throw new InvalidConfigurationException("JWT_ALGORITHM", $"'{value}' is not supported (use {string.Join(", ", SupportedAlgorithms)})");
    }

    static string Required(IConfiguration config, string key) =>
        Blank(config[key]) ?? throw new InvalidConfigurationException(key, "is required");

    static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static string Url(IConfiguration config, string key, string fallback)
    {
        var value = Blank(config[key]) ?? fallback;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidConfigurationException(key, $"'{value}' is not an http(s) URL");
        return value;
    }

    static string Identifier(IConfiguration config, string key, string fallback)
    {
        var value = Blank(config[key]) ?? fallback;
        if (!System.Text.RegularExpressions.Regex.IsMatch(value, "^[a-z_][a-z0-9_]{0,62}$"))
            throw new InvalidConfigurationException(key, $"'{value}' must be a lower-case SQL identifier");
        return value;
    }

    /// <summary>Comma-separated IPs and CIDR ranges ("10.0.0.0/8, 127.0.0.1"); an address stands for itself.</summary>
    static IReadOnlyList<System.Net.IPNetwork> Networks(IConfiguration config, string key)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in (config[key] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network)) networks.Add(network);
            else if (System.Net.IPAddress.TryParse(entry, out var address))
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else throw new InvalidConfigurationException(key, $"'{entry}' is not an IP address or CIDR range (e.g. 10.0.0.0/8)");
        }
        return networks;
    }

    static IReadOnlyList<string> Origins(string? value)
    {
        var origins = (value ?? "http://localhost:3000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o.TrimEnd('/'))
            .ToList();
        foreach (var origin in origins)
            if (origin != "*" && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                throw new InvalidConfigurationException("ALLOWED_ORIGINS", $"'{origin}' is not an origin like https://example.com");
        return origins;
    }
}

public static class SettingsRegistration
{
    /// <summary>One singleton per concern, so a feature asks only for what it uses.</summary>
    public static IServiceCollection AddChartCraftSettings(this IServiceCollection services, ChartCraftSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.App);
        services.AddSingleton(settings.Database);
        services.AddSingleton(settings.Redis);
        services.AddSingleton(settings.Storage);
        services.AddSingleton(settings.Jwt);
        services.AddSingleton(settings.OpenAi);
        return services;
    }
}
