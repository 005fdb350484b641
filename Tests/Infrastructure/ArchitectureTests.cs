using System.Text.RegularExpressions;
using ChartCraft.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The layout rules of README "Architecture", checked on the source so they cannot drift: a feature reaches another
/// only through the other's public API, and no file or method grows past what a reader takes in at once.
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

    /// <summary>
    /// The most lines a method, constructor, local function, lambda or expression-bodied member may span, from its first
    /// line (attributes included, doc comment not) to its last. Past this a reader scrolls to follow one piece of logic.
    /// </summary>
    const int MaxMemberLines = 60;

    /// <summary>
    /// Members allowed to be longer, as "path:Type.Member" (a local function or lambda is named after the member it sits
    /// in). Each says why; an entry whose member has come down to the limit fails the test, so the list only shrinks.
    /// </summary>
    static readonly HashSet<string> LongMembersAllowed =
    [
        // Data tables: the OpenAPI example of each response type, one JSON literal a type. Splitting them would scatter
        // one table over several.
        "Infrastructure/Api/OpenApiExamples.Auth.cs:OpenApiExamples.Auth",
        "Infrastructure/Api/OpenApiExamples.Charts.cs:OpenApiExamples.Charts",
        "Infrastructure/Api/OpenApiExamples.DataSources.cs:OpenApiExamples.DataSources",
        "Infrastructure/Api/OpenApiExamples.Export.cs:OpenApiExamples.Export",
        "Infrastructure/Api/OpenApiExamples.Integrations.cs:OpenApiExamples.Integrations",
    ];

    [Fact]
    public void no_method_is_over_60_lines()
    {
        var members = SourceFiles("Features").Concat(SourceFiles("Infrastructure")).SelectMany(MemberLengths).ToList();
        var tooLong = members.Where(m => m.Lines > MaxMemberLines && !LongMembersAllowed.Contains(m.Name))
            .Select(m => $"{m.Name} (line {m.Line}): {m.Lines} lines").ToList();
        var longest = members.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.Max(m => m.Lines));
        var stale = LongMembersAllowed.Where(name => longest.GetValueOrDefault(name) <= MaxMemberLines)
            .Select(name => $"{name} is allowed to be long but is not (or no longer exists): remove it from the list").ToList();
        tooLong.Concat(stale).ShouldBeEmpty();
    }

    /// <summary>Every member with a body in a file, named "path:Type.Member", with its first line and its length.</summary>
    static IEnumerable<(string Name, int Line, int Lines)> MemberLengths(string file)
    {
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
        var path = Relative(file).Replace(Path.DirectorySeparatorChar, '/');
        foreach (var node in root.DescendantNodes().Where(HasBody))
        {
            // Span leaves out the leading trivia, so a long doc comment does not count against the member.
            var lines = node.SyntaxTree.GetLineSpan(node.Span);
            var type = node.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text ?? "";
            var member = node.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault(m => m is not BaseTypeDeclarationSyntax);
            yield return ($"{path}:{type}.{NameOf(member)}", lines.StartLinePosition.Line + 1,
                lines.EndLinePosition.Line - lines.StartLinePosition.Line + 1);
        }
    }

    /// <summary>
    /// Code that runs: methods, constructors, operators, accessors with a body, expression-bodied properties, local
    /// functions and lambdas. Fields and auto-property initializers are data and not measured.
    /// </summary>
    static bool HasBody(SyntaxNode node) => node switch
    {
        BaseMethodDeclarationSyntax m => m.Body is not null || m.ExpressionBody is not null,
        AccessorDeclarationSyntax a => a.Body is not null || a.ExpressionBody is not null,
        PropertyDeclarationSyntax p => p.ExpressionBody is not null,
        IndexerDeclarationSyntax i => i.ExpressionBody is not null,
        LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax => true,
        _ => false,
    };

    static string NameOf(MemberDeclarationSyntax? member) => member switch
    {
        MethodDeclarationSyntax m => m.Identifier.Text,
        ConstructorDeclarationSyntax c => c.Identifier.Text,
        DestructorDeclarationSyntax d => "~" + d.Identifier.Text,
        OperatorDeclarationSyntax o => "operator " + o.OperatorToken.Text,
        ConversionOperatorDeclarationSyntax c => "operator " + c.Type,
        PropertyDeclarationSyntax p => p.Identifier.Text,
        IndexerDeclarationSyntax => "this[]",
        EventDeclarationSyntax e => e.Identifier.Text,
        BaseFieldDeclarationSyntax f => string.Join(",", f.Declaration.Variables.Select(v => v.Identifier.Text)),
        _ => "<top level>",
    };

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
