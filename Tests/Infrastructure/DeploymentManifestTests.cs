using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The Kubernetes manifests as a cluster would receive them: the production overlay rendered by kubectl's own
/// kustomize (`kubectl kustomize`; Debian 12's kubernetes-client 1.20 is enough, scripts/services.sh installs it when no
/// kubectl is there), then read back and checked against the image and the app's settings.
/// </summary>
public sealed class DeploymentManifestTests
{
    const string Overlay = "deploy/k8s/overlays/production";
    static readonly Lazy<Task<IReadOnlyList<JsonNode>>> Rendered = new(() => RenderAsync(Overlay));
    static readonly DeploymentFiles.Dockerfile Image = DeploymentFiles.Dockerfile.Parse(DeploymentFiles.Read("Dockerfile"));

    /// <summary>`kubectl kustomize DIR` with the kubectl named by KUBECTL, else the one on PATH.</summary>
    public static async Task<IReadOnlyList<JsonNode>> RenderAsync(string directory)
    {
        var kubectl = Environment.GetEnvironmentVariable("KUBECTL") is { Length: > 0 } named ? named : "kubectl";
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DeploymentFiles.Root };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(directory);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                $"'{kubectl}' was not found: run scripts/services.sh install (Debian package kubernetes-client) or set KUBECTL");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            // Newer kustomize prints deprecation warnings on stderr for fields v2.0.3 needs (bases, patchesStrategicMerge).
            process.ExitCode.ShouldBe(0, $"kubectl kustomize {directory}: {await errors}");
            return DeploymentFiles.YamlDocuments(await output);
        }
    }

    static async Task<JsonNode> One(string kind, string? namePrefix = null) =>
        (await Rendered.Value).Single(d => d["kind"].Text() == kind && (namePrefix is null || d["metadata"]!["name"].Text().StartsWith(namePrefix)));

    static async Task<IReadOnlyDictionary<string, string>> ConfigMap() =>
        (await One("ConfigMap", "chartcraft-config"))["data"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value.Text());

    static JsonObject Container(JsonNode workload) => workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!.AsObject();

    static int PortNumber(JsonNode container, JsonNode port) =>
        int.TryParse(port.Text(), out var number)
            ? number
            : int.Parse(container["ports"]!.AsArray().Single(p => p!["name"].Text() == port.Text())!["containerPort"].Text());

    [Fact]
    public async Task the_api_runs_at_least_two_replicas_with_startup_readiness_and_liveness_probes_on_the_apps_port()
    {
        var deployment = await One("Deployment");
        int.Parse(deployment["spec"]!["replicas"].Text()).ShouldBeGreaterThanOrEqualTo(2);
        var container = Container(deployment);
        var port = Image.Environment["PORT"];
        var env = container["env"]?.AsArray().ToDictionary(e => e!["name"].Text(), e => e!["value"].Text()) ?? [];
        env.GetValueOrDefault("PORT", port).ShouldBe(port);

        foreach (var (probe, path) in new[] { ("startupProbe", "/health"), ("readinessProbe", "/health/ready"), ("livenessProbe", "/health") })
        {
            var http = container[probe]?["httpGet"];
            http.ShouldNotBeNull($"{probe} is missing");
            http["path"].Text().ShouldBe(path, probe);
            PortNumber(container, http["port"]!).ToString().ShouldBe(port, $"{probe} probes the port the app listens on (PORT)");
        }
        // Liveness starts counting only after the startup probe passed; readiness may fail without a restart.
        var startup = container["startupProbe"]!;
        (int.Parse(startup["periodSeconds"].Text()) * int.Parse(startup["failureThreshold"].Text())).ShouldBeGreaterThanOrEqualTo(60);

        var hpa = await One("HorizontalPodAutoscaler");
        hpa["spec"]!["scaleTargetRef"]!["name"].Text().ShouldBe(deployment["metadata"]!["name"].Text());
        int.Parse(hpa["spec"]!["minReplicas"].Text()).ShouldBeGreaterThanOrEqualTo(2);
        int.Parse(hpa["spec"]!["maxReplicas"].Text()).ShouldBeGreaterThan(int.Parse(hpa["spec"]!["minReplicas"].Text()));

        var pdb = await One("PodDisruptionBudget");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        foreach (var (key, value) in pdb["spec"]!["selector"]!["matchLabels"]!.AsObject())
            podLabels[key].Text().ShouldBe(value.Text(), "the budget selects the API's pods");
        int.Parse(pdb["spec"]!["minAvailable"].Text()).ShouldBeLessThan(int.Parse(deployment["spec"]!["replicas"].Text()),
            "a budget as large as the replica count blocks every node drain");
    }

    [Fact]
    public async Task every_container_has_requests_and_limits_runs_as_non_root_on_a_read_only_root_with_writable_tmp_and_home()
    {
        var imageUser = Image.All("USER").Last().Split(':')[0];
        foreach (var workload in new[] { await One("Deployment"), await One("Job") })
        {
            var kind = workload["kind"].Text();
            var pod = workload["spec"]!["template"]!["spec"]!;
            pod["securityContext"]!["runAsNonRoot"].Text().ShouldBe("true", kind);
            pod["securityContext"]!["runAsUser"].Text().ShouldBe(imageUser, $"{kind} runs as the image's user");
            var container = Container(workload);
            foreach (var bound in new[] { "requests", "limits" })
            foreach (var resource in new[] { "cpu", "memory" })
                container["resources"]?[bound]?[resource].Text().ShouldNotBeNullOrEmpty($"{kind}: {bound}.{resource}");
            container["securityContext"]!["readOnlyRootFilesystem"].Text().ShouldBe("true", kind);
            container["securityContext"]!["allowPrivilegeEscalation"].Text().ShouldBe("false", kind);

            var env = container["env"]?.AsArray().ToDictionary(e => e!["name"].Text(), e => e!["value"].Text()) ?? [];
            var home = env.GetValueOrDefault("HOME", Image.Environment["HOME"]);
            var emptyDirs = pod["volumes"]!.AsArray().Where(v => v!["emptyDir"] is not null).Select(v => v!["name"].Text()).ToHashSet();
            var writable = container["volumeMounts"]!.AsArray().Where(m => emptyDirs.Contains(m!["name"].Text()))
                .Select(m => m!["mountPath"].Text()).ToList();
            writable.ShouldContain("/tmp", $"{kind}: uploads and Chromium profiles go to /tmp");
            writable.ShouldContain(home, $"{kind}: Chromium writes under HOME");
        }
    }

    [Fact]
    public async Task the_ingress_accepts_the_largest_upload_and_waits_long_enough_for_an_export()
    {
        var maxFileMb = int.Parse((await ConfigMap())["MAX_FILE_SIZE_MB"]);
        var ingress = await One("Ingress");
        var annotations = ingress["metadata"]!["annotations"]!.AsObject();
        var bodySize = annotations["nginx.ingress.kubernetes.io/proxy-body-size"].Text();
        // Multipart framing adds to the file itself, so the proxy must allow more than MAX_FILE_SIZE_MB.
        NginxSizeInMb(bodySize).ShouldBeGreaterThanOrEqualTo(maxFileMb + 1, $"proxy-body-size {bodySize} vs MAX_FILE_SIZE_MB {maxFileMb}");
        // A PDF export may wait 30 s in the render queue and render for 60 s.
        foreach (var timeout in new[] { "proxy-read-timeout", "proxy-send-timeout" })
            int.Parse(annotations[$"nginx.ingress.kubernetes.io/{timeout}"].Text()).ShouldBeGreaterThanOrEqualTo(90, timeout);

        var service = await One("Service");
        var backend = ingress["spec"]!["rules"]!.AsArray().Single()!["http"]!["paths"]!.AsArray().Single()!["backend"]!["service"]!;
        backend["name"].Text().ShouldBe(service["metadata"]!["name"].Text());
        var servicePort = service["spec"]!["ports"]!.AsArray().Single()!;
        (backend["port"]!["name"]?.Text() ?? "").ShouldBe(servicePort["name"].Text());
        PortNumber(Container(await One("Deployment")), servicePort["targetPort"]!).ToString().ShouldBe(Image.Environment["PORT"]);
    }

    static double NginxSizeInMb(string size)
    {
        var m = Regex.Match(size.Trim().ToLowerInvariant(), @"^(?<n>\d+)(?<unit>[kmg]?)$");
        m.Success.ShouldBeTrue($"'{size}' is not an nginx size");
        var n = double.Parse(m.Groups["n"].Value);
        return m.Groups["unit"].Value switch { "k" => n / 1024, "m" => n, "g" => n * 1024, _ => n / (1024 * 1024) };
    }

    [Fact]
    public async Task the_migration_job_runs_the_released_image_with_migrate_and_the_apps_settings()
    {
        var job = Container(await One("Job"));
        var api = Container(await One("Deployment"));
        job["args"]!.AsArray().Select(a => a.Text()).ShouldBe(["migrate"]);
        job["image"].Text().ShouldBe(api["image"].Text());
        api["image"].Text().ShouldMatch(@"^[^:]+:(?!latest$)[\w.-]+$", "a released image has a version tag");
        job["envFrom"]!.ToJsonString().ShouldBe(api["envFrom"]!.ToJsonString());
        (await One("Job"))["spec"]!["template"]!["spec"]!["restartPolicy"].Text().ShouldBe("Never");
    }

    [Fact]
    public async Task settings_come_from_the_rendered_config_map_and_secrets_only_from_a_secret_made_out_of_band()
    {
        var rendered = await Rendered.Value;
        rendered.ShouldNotContain(d => d["kind"].Text() == "Secret", "secret values are never rendered from the repository");
        var template = DeploymentFiles.Yaml(DeploymentFiles.Read("deploy/k8s/base/secret.example.yaml"));
        var secretKeys = template["stringData"]!.AsObject().Select(kv => kv.Key).ToHashSet();
        secretKeys.ShouldContain("METRICS_TOKEN");
        foreach (var required in new[] { "DATABASE_URL", "REDIS_URL", "JWT_SECRET_KEY" }) secretKeys.ShouldContain(required);

        var configMapName = (await One("ConfigMap", "chartcraft-config"))["metadata"]!["name"].Text();
        foreach (var workload in new[] { await One("Deployment"), await One("Job") })
        {
            var from = Container(workload)["envFrom"]!.AsArray();
            from.Select(f => f!["configMapRef"]?["name"].Text()).ShouldContain(configMapName);
            from.Select(f => f!["secretRef"]?["name"].Text()).ShouldContain(template["metadata"]!["name"].Text());
            foreach (var env in Container(workload)["env"]?.AsArray() ?? [])
                secretKeys.ShouldNotContain(env!["name"].Text(), "a secret is set inline in a manifest");
        }
        (await ConfigMap()).Keys.Intersect(secretKeys).ShouldBeEmpty("a secret setting is in the ConfigMap");
    }

    [Fact]
    public void no_secret_value_is_committed_anywhere_in_the_repository()
    {
        var files = TrackedFiles();
        files.ShouldContain("deploy/k8s/base/secret.example.yaml");
        var findings = new List<string>();
        foreach (var file in files)
        {
            var path = DeploymentFiles.PathOf(file);
            if (!File.Exists(path) || new FileInfo(path).Length > 2_000_000) continue;
            var text = File.ReadAllText(path);
            if (Regex.IsMatch(text, @"-----BEGIN (?:RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----")) findings.Add($"{file}: a private key");
            if (Regex.IsMatch(text, @"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")) findings.Add($"{file}: an AWS access key id");
            if (Regex.IsMatch(text, @"\bgh[pousr]_[A-Za-z0-9]{36,}\b")) findings.Add($"{file}: a GitHub token");
            if (Regex.IsMatch(text, @"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b")) findings.Add($"{file}: an OpenAI key");
            if (!file.EndsWith(".yaml") && !file.EndsWith(".yml")) continue;
            IReadOnlyList<JsonNode> documents;
            try { documents = DeploymentFiles.YamlDocuments(text); }
            catch (YamlDotNet.Core.YamlException) { continue; } // templates with placeholders are not manifests
            foreach (var secret in documents.Where(d => d is JsonObject && d["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                                                      && d["kind"].Text() == "Secret"))
            foreach (var field in new[] { "data", "stringData" })
            foreach (var (key, value) in secret[field]?.AsObject() ?? [])
                if (value.Text().Length > 0) findings.Add($"{file}: Secret {secret["metadata"]?["name"].Text()} has a value for {key}");
        }
        findings.ShouldBeEmpty();
    }

    static IReadOnlyList<string> TrackedFiles()
    {
        var start = new ProcessStartInfo("git", "ls-files -z --cached --others --exclude-standard") { RedirectStandardOutput = true, WorkingDirectory = DeploymentFiles.Root };
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        git.ExitCode.ShouldBe(0, "git ls-files");
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }
}
