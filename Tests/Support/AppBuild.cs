using System.Diagnostics;

namespace ChartCraft.Tests.Support;

/// <summary>
/// The app as its own project builds it (bin/&lt;configuration&gt;/net10.0 beside ChartCraft.csproj; building the tests
/// builds it there too), for tests that run it as a process.
/// </summary>
/// <remarks>
/// Not the copy in the test folder: there ChartCraft.dll runs with the app's dependency list among the test project's
/// assemblies, and JasperFx's command scan loads every assembly in its folder, including ones that need Roslyn
/// (WireMock's, the architecture tests'), which the app does not ship and so cannot resolve.
/// </remarks>
public static class AppBuild
{
    /// <summary>Debug or Release: the configuration the tests themselves were built in.</summary>
    static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string Folder { get; } = DeploymentFiles.PathOf(Path.Combine("bin", Configuration, "net10.0"));

    public static string Dll { get; } = Path.Combine(Folder, "ChartCraft.dll");

    /// <summary>Runs a command of the app (migrate, codegen …) to its end, within two minutes.</summary>
    public static async Task<(int Code, string Output, string Error)> RunToEnd(ProcessStartInfo start)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
