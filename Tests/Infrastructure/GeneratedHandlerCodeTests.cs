using System.Diagnostics;
using ChartCraft.Infrastructure.Persistence;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The message handlers run code generated ahead of time (Internal/Generated), never code compiled at run time. These
/// files must be exactly what Wolverine generates from today's handlers, policies and middleware: stale code would run
/// a handler without a middleware added since, or fail to find a new handler's type.
/// </summary>
public sealed class GeneratedHandlerCodeTests
{
    const string Folder = "Internal/Generated/WolverineHandlers";

    [Fact]
    public async Task Checked_in_handler_code_is_what_wolverine_generates_now()
    {
        var output = Directory.CreateTempSubdirectory("chartcraft-codegen-").FullName;
        try
        {
            var (code, stdout, stderr) = await GenerateInto(output);
            Assert.True(code == 0, $"codegen write failed ({code}): {stdout} {stderr}");

            var generated = Files(Path.Combine(output, "WolverineHandlers"));
            var checkedIn = Files(DeploymentFiles.PathOf(Folder));
            Assert.True(generated.Count >= 15, $"only {generated.Count} handler files generated");
            Assert.True(generated.Keys.Order().SequenceEqual(checkedIn.Keys.Order()),
                $"{Folder} has other files than Wolverine generates: run scripts/codegen.sh and commit the result. " +
                $"Generated only: {string.Join(", ", generated.Keys.Except(checkedIn.Keys))}; " +
                $"checked in only: {string.Join(", ", checkedIn.Keys.Except(generated.Keys))}");
            var stale = generated.Where(file => file.Value != checkedIn[file.Key]).Select(file => file.Key).ToList();
            Assert.True(stale.Count == 0, $"stale generated code in {string.Join(", ", stale)}: run scripts/codegen.sh and commit the result");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void The_app_ships_without_a_run_time_compiler()
    {
        // Roslyn is what runtime compilation loads; without it in the build output nothing can compile at run time.
        Assert.False(File.Exists(Path.Combine(AppBuild.Folder, "Wolverine.RuntimeCompilation.dll")));
        Assert.False(File.Exists(Path.Combine(AppBuild.Folder, "Microsoft.CodeAnalysis.dll")));
        Assert.Contains(typeof(ChartCraft.Features.Messages.WebhookEvent).Assembly.GetTypes(),
            type => type.Namespace == "Internal.Generated.WolverineHandlers" && type.Name.StartsWith("WebhookEventHandler", StringComparison.Ordinal));
    }

    static Dictionary<string, string> Files(string folder) =>
        Directory.GetFiles(folder, "*.cs").ToDictionary(Path.GetFileName, path => File.ReadAllText(path).ReplaceLineEndings())!;

    static async Task<(int Code, string Output, string Error)> GenerateInto(string folder)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = AppBuild.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { AppBuild.Dll, "codegen", "write" }) start.ArgumentList.Add(arg);
        // Generating reads the configuration but connects to nothing.
        start.Environment["DEBUG"] = "false";
        start.Environment["DATABASE_URL"] = TestEnvironment.DatabaseUrl;
        start.Environment["REDIS_URL"] = TestEnvironment.RedisUrl;
        start.Environment["JWT_SECRET_KEY"] = TestEnvironment.JwtSecret;
        start.Environment["STORAGE_LOCAL_PATH"] = Path.Combine(folder, "storage");
        start.Environment[ChartCraft.Infrastructure.Persistence.Persistence.GeneratedCodePathVariable] = folder;
        return await AppBuild.RunToEnd(start);
    }
}
