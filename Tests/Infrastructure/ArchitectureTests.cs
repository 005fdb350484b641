using System.Text.RegularExpressions;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The layout rules of README "Architecture", checked on the source so they cannot drift: a feature reaches another
/// only through the other's public API, and no file grows past what a reader takes in at once.
/// </summary>
public sealed partial class ArchitectureTests
{
    /// <summary>
    /// What one feature may use of another (README "Architecture", "Public cross-feature APIs"): a whole namespace
    /// (null), or only the named types of a namespace that is otherwise the feature's own business.
    /// </summary>
    static readonly Dictionary<string, string[]?> PublicApis = new()
    {
        ["ChartCraft.Features.Messages"] = null,
        ["ChartCraft.Features.Statistics"] = null,
        ["ChartCraft.Features.Upload"] = null,
        ["ChartCraft.Features.Charts"] = null,
        ["ChartCraft.Features.Export"] = null,
        // A chart's numbers and look, as ChartFigures gives them to other renderers.
        ["ChartCraft.Features.Charts.Aggregation"] = ["AggregatedChart", "ChartSeries", "ScatterPoint", "AxisKinds", "Aggregations"],
        ["ChartCraft.Features.Charts.ChartJs"] = ["ChartPresentation", "ResolvedPresentation", "ChartTheme"],
        // The chart types worth making of a data set, which an upload's answer lists.
        ["ChartCraft.Features.Charts.Recommendation"] = ["ChartRecommender"],
        // A new chart may start from a saved template (POST /api/charts with template_id); the account zip lists them.
        ["ChartCraft.Features.Templates"] = ["ChartTemplate", "Templates", "TemplateResponse"],
        // Whether an account's email is confirmed, which connecting a newsletter platform requires.
        ["ChartCraft.Features.Auth.Verification"] = ["EmailVerification"],
        // Plan limits: one check at each place where something is created or spent.
        ["ChartCraft.Features.Plans"] = ["PlanEnforcement", "PlanLimit"],
        // The account, who is an admin (changing a user's tier), and its tokens (account deletion).
        ["ChartCraft.Features.Auth"] = ["User", "UserResponse", "AdminRole", "RefreshToken", "PasswordHasher"],
        // Leaving with one's data (Features/Account): the API views of integrations and webhooks, which name the fields they
        // show and so keep credentials and signing secrets out of the account zip.
        ["ChartCraft.Features.Newsletter.Integrations"] = ["Integration", "IntegrationResponse"],
        ["ChartCraft.Features.Webhooks"] = ["WebhookSubscription", "WebhookResponse"],
    };

    [Fact]
    public void a_feature_uses_another_feature_only_through_its_public_api()
    {
        var declared = DeclaredTypes();
        var violations = new List<string>();
        foreach (var file in SourceFiles("Features"))
        {
            var feature = FeatureOf(file);
            var code = Comment().Replace(File.ReadAllText(file), "");
            // Types are looked for outside the using directives: "using ...Newsletter.Integrations;" names a namespace,
            // not its type Integrations.
            var body = FeatureImport().Replace(code, "");
            foreach (Match import in FeatureImport().Matches(code))
            {
                var imported = import.Groups["ns"].Value;
                // "using static A.B.Type;" imports a type: its namespace is what the rule is about.
                if (import.Groups["static"].Success) imported = imported[..imported.LastIndexOf('.')];
                if (imported.Split('.')[2] == feature) continue;
                if (!PublicApis.TryGetValue(imported, out var allowed))
                {
                    violations.Add($"{Relative(file)} uses {imported}");
                    continue;
                }
                if (allowed is null) continue;
                foreach (var type in declared.GetValueOrDefault(imported, []).Except(allowed))
                    if (Regex.IsMatch(body, $@"\b{type}\b")) violations.Add($"{Relative(file)} uses {imported}.{type}");
            }
        }
        violations.ShouldBeEmpty();
    }

    /// <summary>The top-level types each namespace of Features declares.</summary>
    static Dictionary<string, HashSet<string>> DeclaredTypes()
    {
        var types = new Dictionary<string, HashSet<string>>();
        foreach (var file in SourceFiles("Features"))
        {
            var code = File.ReadAllText(file);
            if (Namespace().Match(code) is not { Success: true } ns) continue;
            var names = types.TryGetValue(ns.Groups[1].Value, out var set) ? set : types[ns.Groups[1].Value] = [];
            foreach (Match type in TopLevelType().Matches(code)) names.Add(type.Groups[1].Value);
        }
        return types;
    }

    [Fact]
    public void no_source_file_is_over_400_lines()
    {
        var large = SourceFiles("Features").Concat(SourceFiles("Infrastructure"))
            .Select(f => (File: Relative(f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 400).Select(f => $"{f.File}: {f.Lines}").ToList();
        large.ShouldBeEmpty();
    }

    static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(DeploymentFiles.PathOf(folder), "*.cs", SearchOption.AllDirectories);

    static string Relative(string file) => Path.GetRelativePath(DeploymentFiles.Root, file);

    static string FeatureOf(string file) => Relative(file).Split(Path.DirectorySeparatorChar)[1];

    [GeneratedRegex(@"^using (?<static>static )?(?<ns>ChartCraft\.Features\.[A-Za-z.]+);", RegexOptions.Multiline)]
    private static partial Regex FeatureImport();

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^(?:public|internal) (?:(?:sealed|static|abstract|partial|readonly) )*(?:class|record struct|record|struct|enum|interface) (\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"//.*")]
    private static partial Regex Comment();
}
