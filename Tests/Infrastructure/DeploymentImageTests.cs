using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The container image and the compose stack, checked without a container engine: the Dockerfile and
/// docker-compose.yml are read as their tools read them, and the app published as the image's build stage publishes
/// it is started with exactly the image's environment plus compose's, with the compose services swapped for the local
/// test services.
/// </summary>
public sealed class DeploymentImageTests
{
    static readonly DeploymentFiles.Dockerfile Image = DeploymentFiles.Dockerfile.Parse(DeploymentFiles.Read("Dockerfile"));
    static readonly JsonNode Compose = DeploymentFiles.Yaml(DeploymentFiles.Read("docker-compose.yml"));

    /// <summary>The host environment compose is run with in the README: only the secret it insists on.</summary>
    static readonly Dictionary<string, string> HostEnvironment = new() { ["JWT_SECRET_KEY"] = TestEnvironment.JwtSecret };

    static JsonObject Service(string name) => Compose["services"]![name]!.AsObject();

    static Dictionary<string, string> ComposeEnvironment(string service) =>
        Service(service)["environment"]!.AsObject()
            .ToDictionary(kv => kv.Key, kv => DeploymentFiles.Interpolate(kv.Value.Text(), HostEnvironment));

    /// <summary>"127.0.0.1:3001:8000" → (127.0.0.1, 3001, 8000).</summary>
    static (string HostIp, int HostPort, int ContainerPort) Port(string mapping)
    {
        var m = Regex.Match(mapping, @"^(?:(?<ip>[\d.]+):)?(?<host>\d+):(?<container>\d+)$");
        m.Success.ShouldBeTrue($"'{mapping}' is not host_ip:host_port:container_port");
        return (m.Groups["ip"].Value, int.Parse(m.Groups["host"].Value), int.Parse(m.Groups["container"].Value));
    }

    [Fact]
    public void the_image_is_multi_stage_non_root_with_chromium_fonts_and_an_init()
    {
        Image.Stages.Count.ShouldBeGreaterThanOrEqualTo(2, "build and runtime stages");
        Image.Stages.First().ShouldStartWith("mcr.microsoft.com/dotnet/sdk:");
        var run = string.Join(" ", Image.All("RUN"));
        foreach (var package in new[] { "chromium", "fonts-liberation", "fonts-dejavu-core", "fonts-noto-cjk", "tini" })
            run.ShouldContain(package);

        // Kubernetes' runAsNonRoot can only check a numeric user.
        var user = Image.All("USER").Last().Split(':')[0];
        int.TryParse(user, out var uid).ShouldBeTrue($"USER {user} must be numeric");
        uid.ShouldBeGreaterThan(0);
        Image.Environment["HOME"].ShouldStartWith("/");
        Image.Environment["CHROMIUM_PATH"].ShouldBe("/usr/bin/chromium");

        var entrypoint = JsonNode.Parse(Image.All("ENTRYPOINT").Single())!.AsArray().Select(n => n.Text()).ToList();
        entrypoint[0].ShouldEndWith("tini", customMessage: "an init reaps Chromium's zombies and forwards SIGTERM");
        entrypoint.ShouldContain("ChartCraft.dll");
        Image.All("EXPOSE").Single().ShouldBe(Image.Environment["PORT"]);
        Image.HealthcheckUrl.ShouldBe($"http://localhost:{Image.Environment["PORT"]}/health");
    }

    [Fact]
    public void compose_runs_pinned_healthy_persistent_services_and_publishes_only_on_loopback()
    {
        Service("postgres")["image"].Text().ShouldBe("postgres:15");
        Service("redis")["image"].Text().ShouldBe("redis:7");
        Service("minio")["image"].Text().ShouldMatch(@"^minio/minio:RELEASE\.\d{4}-\d\d-\d\dT[\d-]+Z$");
        Service("minio-setup")["image"].Text().ShouldMatch(@"^minio/mc:RELEASE\.\d{4}-\d\d-\d\dT[\d-]+Z$");

        var redisCommand = string.Join(" ", Service("redis")["command"]!.AsArray().Select(n => n.Text()));
        redisCommand.ShouldContain("--appendonly yes");
        var named = Compose["volumes"]!.AsObject().Select(kv => kv.Key).ToList();
        foreach (var (service, path) in new[] { ("postgres", "/var/lib/postgresql/data"), ("redis", "/data"), ("minio", "/data") })
        {
            var mount = Service(service)["volumes"]!.AsArray().Select(v => v.Text()).Single(v => v.EndsWith(":" + path));
            named.ShouldContain(mount.Split(':')[0], $"{service} keeps {path} in a named volume");
        }

        foreach (var (name, service) in Compose["services"]!.AsObject())
        {
            service!["restart"].Text().ShouldNotBeNullOrEmpty($"{name} has a restart policy");
            if (name is not ("minio-setup" or "migrate")) service["healthcheck"]!["test"].ShouldNotBeNull($"{name} has a healthcheck");
            foreach (var port in service["ports"]?.AsArray() ?? [])
                Port(port.Text()).HostIp.ShouldBe("127.0.0.1", $"{name} publishes {port.Text()} on loopback only");
        }
        var appDependencies = Service("app")["depends_on"]!.AsObject();
        foreach (var dependency in new[] { "postgres", "redis" })
            appDependencies[dependency]!["condition"].Text().ShouldBe("service_healthy");
        appDependencies["minio-setup"]!["condition"].Text().ShouldBe("service_completed_successfully");
        // The app never creates its schema in production: the one-shot migrate service runs first, same image and settings.
        appDependencies["migrate"]!["condition"].Text().ShouldBe("service_completed_successfully");
        Service("migrate")["command"]!.AsArray().Select(n => n.Text()).ShouldBe(["migrate"]);
        Service("migrate")["image"].Text().ShouldBe(Service("app")["image"].Text());
        ComposeEnvironment("migrate").ShouldBe(ComposeEnvironment("app"));
        Service("migrate")["depends_on"]!["postgres"]!["condition"].Text().ShouldBe("service_healthy");
        Service("minio-setup")["depends_on"]!["minio"]!["condition"].Text().ShouldBe("service_healthy");
    }

    [Fact]
    public void compose_signs_download_links_for_minios_published_port()
    {
        var env = ComposeEnvironment("app");
        var internalEndpoint = new Uri(env["AWS_ENDPOINT_URL"]);
        internalEndpoint.Host.ShouldBe("minio");
        var publicEndpoint = new Uri(env["AWS_PUBLIC_ENDPOINT_URL"]);
        publicEndpoint.Host.ShouldBe("localhost");
        Service("minio")["ports"]!.AsArray().Select(p => Port(p.Text()))
            .Any(p => p.ContainerPort == internalEndpoint.Port && p.HostPort == publicEndpoint.Port)
            .ShouldBeTrue("the public endpoint is MinIO's S3 port as published to the host");
    }

    [Fact]
    public async Task the_compose_file_is_valid_against_the_compose_specification()
    {
        var (exit, output) = await Run("bash", DeploymentFiles.PathOf("deploy/check-compose.sh"));
        exit.ShouldBe(0, output);
        output.ShouldContain("valid against the Compose Specification schema");
    }

    [Fact]
    public async Task the_published_app_with_the_images_and_composes_environment_is_ready_on_the_port_the_healthcheck_probes()
    {
        var imageEnv = Image.Environment;
        var composeEnv = ComposeEnvironment("app");
        var port = composeEnv.GetValueOrDefault("PORT") ?? imageEnv["PORT"];
        var containerPort = Port(Service("app")["ports"]!.AsArray().Single().Text()).ContainerPort;
        containerPort.ToString().ShouldBe(port, "compose publishes the port the app listens on");
        var composeProbe = DeploymentFiles.Interpolate(Service("app")["healthcheck"]!["test"]!.AsArray().Last().Text(), HostEnvironment);
        var composeProbeUrl = DeploymentFiles.Expand(Regex.Match(composeProbe, @"https?://\S+").Value, imageEnv.Concat(composeEnv)
            .GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value));
        composeProbeUrl.ShouldBe(Image.HealthcheckUrl, "compose's healthcheck probes what the image's does");

        var schema = TestEnvironment.NewSchema();
        var env = ContainerEnvironment(imageEnv, composeEnv, schema);
        await CreateBucket(env["AWS_S3_BUCKET"], env);

        var app = await DeploymentFiles.PublishedAppAsync();
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            WorkingDirectory = app,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(app, "ChartCraft.dll"));
        start.Environment.Clear();
        foreach (var keep in new[] { "PATH", "DOTNET_ROOT" })
            if (Environment.GetEnvironmentVariable(keep) is { } value) start.Environment[keep] = value;
        foreach (var (key, value) in env) start.Environment[key] = value;

        await RunMigrateServiceAsync(start); // as compose runs it before the app

        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            var url = Image.HealthcheckUrl + "/ready";
            HttpResponseMessage? ready = null;
            for (var i = 0; i < 180 && ready is null && !process.HasExited; i++)
            {
                try { ready = await http.GetAsync(url); }
                catch (HttpRequestException) { await Task.Delay(500); }
                catch (TaskCanceledException) { }
            }
            process.HasExited.ShouldBeFalse($"the app stopped: {stderr}");
            ready.ShouldNotBeNull($"nothing answered {url}");
            var body = await ready.Content.ReadAsStringAsync();
            ((int)ready.StatusCode).ShouldBe(200, body);
            JsonNode.Parse(body)!["checks"]!["storage"]!["description"].Text().ShouldBe("s3");
            ((int)(await http.GetAsync(Image.HealthcheckUrl)).StatusCode).ShouldBe(200);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await ChartCraft.Tests.Webhooks.TestSchemas.DropAsync(schema);
        }
    }

    /// <summary>
    /// The app container's environment: the image's ENV, then compose's, with compose's services as the app sees them
    /// swapped for the local test services.
    /// </summary>
    static Dictionary<string, string> ContainerEnvironment(IReadOnlyDictionary<string, string> imageEnv, Dictionary<string, string> composeEnv, string schema)
    {
        // Compose's services, as the app sees them, are the local test services.
        var env = new Dictionary<string, string>(imageEnv);
        foreach (var (key, value) in composeEnv) env[key] = Local(value);
        env["DATABASE_SCHEMA"] = schema; // isolation from other tests, not configuration
        env["REDIS_KEY_PREFIX"] = $"test:{schema}:";
        env["ASPNETCORE_URLS"] = "http://+:9"; // a decoy: PORT must win
        // The app signs in to MinIO as its root user, and minio-setup creates the app's bucket there; s3rver stands in
        // for MinIO with credentials of its own.
        var minio = ComposeEnvironment("minio");
        (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]).ShouldBe((minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"]));
        var setup = string.Join(" ", Service("minio-setup")["entrypoint"]!.AsArray().Select(n => n.Text()));
        setup.ShouldContain($"{minio["MINIO_ROOT_USER"]} {minio["MINIO_ROOT_PASSWORD"]}");
        setup.ShouldContain($"mb --ignore-existing local/{env["AWS_S3_BUCKET"]}");
        (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) = ("S3RVER", "S3RVER");
        return env;
    }

    /// <summary>compose's migrate service: the image's entrypoint with its command, the app's environment.</summary>
    static async Task RunMigrateServiceAsync(ProcessStartInfo app)
    {
        var migrate = new ProcessStartInfo(app.FileName) { WorkingDirectory = app.WorkingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in app.ArgumentList) migrate.ArgumentList.Add(arg);
        foreach (var arg in Service("migrate")["command"]!.AsArray()) migrate.ArgumentList.Add(arg.Text());
        migrate.Environment.Clear();
        foreach (var (key, value) in app.Environment) migrate.Environment[key] = value;
        using var migration = Process.Start(migrate)!;
        var migrationOutput = migration.StandardOutput.ReadToEndAsync();
        var migrationError = await migration.StandardError.ReadToEndAsync();
        await migration.WaitForExitAsync();
        migration.ExitCode.ShouldBe(0, await migrationOutput + migrationError);
    }

    /// <summary>A URL naming a compose service (or MinIO's published port) rewritten to the local test service.</summary>
    static string Local(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgresql" or "redis" or "http")) return value;
        var database = new Uri(TestEnvironment.DatabaseUrl);
        var redis = new Uri(TestEnvironment.RedisUrl);
        var s3 = new Uri(TestEnvironment.S3EndpointUrl);
        return (uri.Host, uri.Port) switch
        {
            ("postgres", 5432) => $"postgresql://{database.UserInfo}@{database.Authority}{uri.PathAndQuery}".Replace("://@", "://"),
            ("redis", 6379) => $"redis://{redis.Authority}{uri.PathAndQuery}",
            ("minio", 9000) or ("localhost", 9000) => $"{s3.Scheme}://{s3.Authority}",
            _ => value,
        };
    }

    /// <summary>What minio-setup does in compose: the bucket exists before the app starts.</summary>
    static async Task CreateBucket(string bucket, IReadOnlyDictionary<string, string> env)
    {
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]),
            new AmazonS3Config { ServiceURL = env["AWS_ENDPOINT_URL"], ForcePathStyle = true, AuthenticationRegion = env["AWS_REGION"] });
        try { await s3.PutBucketAsync(bucket); }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
    }

    static async Task<(int Exit, string Output)> Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DeploymentFiles.Root };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await output + await errors);
    }
}
