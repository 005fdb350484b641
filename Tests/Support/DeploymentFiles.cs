using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ChartCraft.Tests.Support;

/// <summary>
/// Reads the repository's deployment files (Dockerfile, docker-compose.yml, deploy/, .github/) the way their tools
/// would, for the deployment tests. YAML becomes a JsonNode tree (every scalar a string) so tests navigate it with
/// indexers.
/// </summary>
public static class DeploymentFiles
{
    public static string Root { get; } = FindRoot();

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ChartCraft.csproj"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ChartCraft.csproj not found above the test folder");
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every document of a YAML text (a Kubernetes render holds many), as JSON nodes.</summary>
    public static IReadOnlyList<JsonNode> YamlDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => ToJson(d.RootNode)!).ToList();
    }

    public static JsonNode Yaml(string yaml) => YamlDocuments(yaml).Single();

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: null } => null,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };

    public static string Text(this JsonNode? node) => node?.GetValue<string>() ?? "";

    /// <summary>The last stage of a Dockerfile (what the image is): its instructions with continuation lines joined.</summary>
    public sealed record Dockerfile(IReadOnlyList<string> Stages, IReadOnlyList<(string Instruction, string Arguments)> Final)
    {
        public static Dockerfile Parse(string text)
        {
            var instructions = new List<(string, string)>();
            var logical = new StringBuilder();
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                if (logical.Length == 0 && (line.TrimStart().StartsWith('#') || line.Trim().Length == 0)) continue;
                if (line.TrimStart().StartsWith('#')) continue; // comments inside a continued instruction
                if (line.EndsWith('\\')) { logical.Append(line[..^1]).Append(' '); continue; }
                logical.Append(line);
                var full = logical.ToString().Trim();
                logical.Clear();
                var space = full.IndexOf(' ');
                instructions.Add(space < 0 ? (full.ToUpperInvariant(), "") : (full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
            }
            var stages = instructions.Where(i => i.Item1 == "FROM").Select(i => i.Item2).ToList();
            var lastFrom = instructions.FindLastIndex(i => i.Item1 == "FROM");
            return new Dockerfile(stages, instructions.Skip(lastFrom).ToList());
        }

        public IEnumerable<string> All(string instruction) =>
            Final.Where(i => i.Instruction == instruction).Select(i => i.Arguments);

        /// <summary>The image's environment: every ENV of the final stage, KEY=VALUE pairs (quotes removed).</summary>
        public IReadOnlyDictionary<string, string> Environment
        {
            get
            {
                var env = new Dictionary<string, string>();
                foreach (var args in All("ENV"))
                foreach (Match m in Regex.Matches(args, @"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?:""(?<value>[^""]*)""|(?<value>\S*))"))
                    env[m.Groups["key"].Value] = m.Groups["value"].Value;
                return env;
            }
        }

        /// <summary>The URL the HEALTHCHECK probes, with the image's variables (${PORT}) filled in.</summary>
        public string HealthcheckUrl
        {
            get
            {
                var healthcheck = All("HEALTHCHECK").SingleOrDefault() ?? throw new InvalidOperationException("no HEALTHCHECK");
                var url = Regex.Match(healthcheck, @"https?://[^\s""']+").Value;
                return Expand(url, Environment);
            }
        }
    }

    /// <summary>$VAR / ${VAR} from a container's environment, as the shell of CMD-SHELL or a healthcheck would.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env) =>
        Regex.Replace(text, @"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}|\$(?<name>[A-Za-z_][A-Za-z0-9_]*)",
            m => env.TryGetValue(m.Groups["name"].Value, out var v) ? v : "");

    /// <summary>
    /// Compose's interpolation of a value from the host environment: ${VAR}, ${VAR:-default}, ${VAR-default},
    /// ${VAR:?error} (an error when unset) and $$ for a literal $.
    /// </summary>
    public static string Interpolate(string text, IReadOnlyDictionary<string, string> hostEnvironment) =>
        Regex.Replace(text, @"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}", m =>
        {
            if (m.Value == "$$") return "$";
            var name = m.Groups["name"].Value;
            hostEnvironment.TryGetValue(name, out var value);
            var op = m.Groups["op"].Value;
            var unset = op.StartsWith(':') ? string.IsNullOrEmpty(value) : value is null;
            return op.TrimStart(':') switch
            {
                "-" when unset => m.Groups["arg"].Value,
                "?" when unset => throw new InvalidOperationException($"compose needs {name}: {m.Groups["arg"].Value}"),
                _ => value ?? "",
            };
        });

    /// <summary>
    /// The app published as the Dockerfile's build stage does (Release, no app host), once per content of the sources:
    /// a later run with the same sources reuses the folder.
    /// </summary>
    public static Task<string> PublishedAppAsync() => Published.Value;

    static readonly Lazy<Task<string>> Published = new(PublishAsync);

    static async Task<string> PublishAsync()
    {
        var cache = Path.Combine(Path.GetTempPath(), "chartcraft-publish");
        var target = Path.Combine(cache, SourceHash());
        if (File.Exists(Path.Combine(target, "ChartCraft.dll"))) return target;
        var staging = $"{target}.{Guid.NewGuid():N}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test build has restored the project already; restoring again would rewrite obj/ under running tests.
        foreach (var arg in new[] { "publish", "ChartCraft.csproj", "-c", "Release", "-o", staging, "--no-restore",
                     "-p:UseAppHost=false", "-nologo", "-v", "quiet", "-clp:ErrorsOnly" })
            start.ArgumentList.Add(arg);
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        if (publish.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await output}\n{await errors}");
        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, "ChartCraft.dll")))
        {
            Directory.Delete(staging, recursive: true); // another run published the same sources first
        }
        return target;
    }

    /// <summary>A hash of what goes into the build: the project, its code, settings and static files.</summary>
    static string SourceHash()
    {
        string[] skipped = ["Tests", "Benchmarks", "bin", "obj", ".git", ".tools", ".data", "artifacts", "node_modules", "deploy", "scripts", ".github", ".ci"];
        var files = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').SkipLast(1).Any(part => skipped.Contains(part)))
            .Where(f => f.EndsWith(".cs") || f.EndsWith(".csproj") || f.EndsWith(".json") || f.EndsWith(".props")
                        || f.EndsWith(".targets") || f.StartsWith("Static/"))
            .Order(StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file + "\0"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(Root, file)));
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
