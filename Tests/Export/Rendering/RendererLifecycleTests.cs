using System.Diagnostics;
using ChartCraft.Features.Export.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Plotly.NET;
using PuppeteerSharp;

namespace ChartCraft.Tests.Export.Rendering;

/// <summary>Start, queueing and shutdown, each on a renderer of its own (these tests change its state).</summary>
public class RendererLifecycleTests
{
    static GenericChart Bar() => PlotlyFigureBuilder.Build(SampleCharts.YieldBySite("bar"), new FigureOptions("Yield"));

    [Fact]
    public async Task requests_beyond_the_pool_wait_and_fail_clearly_after_the_queue_timeout()
    {
        await using var renderer = new ChromiumRenderer(new RenderingOptions
        {
            PoolSize = 1, QueueTimeout = TimeSpan.FromMilliseconds(300),
        });
        renderer.Stats.BrowserLaunches.ShouldBe(0); // nothing starts before the first render
        var pageTaken = new TaskCompletionSource();
        var holder = renderer.WithPlotlyPageAsync(page =>
        {
            pageTaken.SetResult();
            return page.EvaluateExpressionAsync<bool>("new Promise(() => {})");
        }, "held render", TimeSpan.FromSeconds(2), CancellationToken.None);
        await pageTaken.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var busy = await Should.ThrowAsync<RenderingBusyException>(() => renderer.RenderAsync(Bar(), ImageFormat.Png, 200, 200, 1));

        busy.Message.ShouldBe("All 1 render pages stayed busy for 0.3 s; try again later.");
        await Should.ThrowAsync<RenderTimeoutException>(() => holder);
        renderer.Stats.BrowserLaunches.ShouldBe(1);
    }

    [Fact]
    public async Task registered_renderer_warms_up_at_start_and_closes_chromium_when_the_container_is_disposed()
    {
        var services = new ServiceCollection().AddLogging()
            .AddChartRendering(new RenderingOptions { PoolSize = 1, WarmUpOnStart = true });
        var provider = services.BuildServiceProvider();
        var renderer = provider.GetRequiredService<ChromiumRenderer>();

        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        var waited = Stopwatch.StartNew();
        while (renderer.Stats.IdlePages < 1 && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(50);
        renderer.Stats.IdlePages.ShouldBe(1);
        var chromium = Process.GetProcessById(renderer.Stats.BrowserProcessId!.Value);
        var profile = File.ReadAllText($"/proc/{chromium.Id}/cmdline").Split('\0')
            .Single(a => a.StartsWith("--user-data-dir=", StringComparison.Ordinal))["--user-data-dir=".Length..];
        Directory.Exists(profile).ShouldBeTrue();

        await provider.DisposeAsync();

        chromium.WaitForExit(TimeSpan.FromSeconds(5)).ShouldBeTrue();
        Directory.Exists(profile).ShouldBeFalse();
        await Should.ThrowAsync<ObjectDisposedException>(() => renderer.RenderAsync(Bar(), ImageFormat.Png, 200, 200, 1));
    }

    [Fact]
    public async Task chromium_and_the_renderers_it_forks_later_run_every_thread_at_the_configured_nice_value()
    {
        await using var renderer = new ChromiumRenderer(new RenderingOptions { PoolSize = 1, Niceness = 7 });

        // The page's renderer process is forked after the browser was lowered: it must start lowered too.
        (await renderer.RenderAsync(Bar(), ImageFormat.Png, 200, 200, 1)).Length.ShouldBeGreaterThan(100);

        var tree = ProcessTree(renderer.Stats.BrowserProcessId!.Value);
        tree.Count.ShouldBeGreaterThanOrEqualTo(3); // the browser, its zygote(s), the page's renderer
        var threads = tree.SelectMany(pid => Directory.GetDirectories($"/proc/{pid}/task"))
            .Select(task => $"{File.ReadAllText($"{task}/comm").Trim()} {Path.GetFileName(task)}: nice {NiceOf($"{task}/stat")}").ToList();
        threads.Count.ShouldBeGreaterThan(10);
        // Chromium running as root would set its compositor and IO threads to −8 if it still could.
        threads.Where(t => !t.EndsWith(": nice 7", StringComparison.Ordinal)).ShouldBeEmpty(string.Join("; ", threads));
        NiceOf($"/proc/{Environment.ProcessId}/stat").ShouldNotBe(7); // the app itself keeps its priority
    }

    /// <summary>The nice value: the 19th field of a stat file, the 17th after the command's closing parenthesis.</summary>
    static int NiceOf(string statFile)
    {
        var stat = File.ReadAllText(statFile);
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16]);
    }

    static List<int> ProcessTree(int root)
    {
        var parents = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(name => name!.All(char.IsAsciiDigit))
            .Select(int.Parse!).Select(pid => (Pid: pid, Parent: ParentOf(pid))).ToList();
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++) tree.AddRange(parents.Where(p => p.Parent == tree[i]).Select(p => p.Pid));
        return tree;
    }

    static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    [Fact]
    public async Task a_missing_chromium_executable_is_reported_with_its_path()
    {
        await using var renderer = new ChromiumRenderer(new RenderingOptions { ChromiumPath = "/nonexistent/chromium" });

        var error = await Should.ThrowAsync<ChromiumUnavailableException>(() => renderer.RenderAsync(Bar(), ImageFormat.Png, 200, 200, 1));

        error.Message.ShouldContain("/nonexistent/chromium");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void pool_size_outside_1_to_32_is_rejected_at_start_up(int poolSize) =>
        Should.Throw<ArgumentException>(() => new ServiceCollection().AddChartRendering(new RenderingOptions { PoolSize = poolSize }))
            .Message.ShouldContain("PoolSize");

    [Fact]
    public void no_warm_up_service_is_registered_unless_asked_for() =>
        new ServiceCollection().AddChartRendering(new RenderingOptions())
            .ShouldNotContain(d => d.ServiceType == typeof(IHostedService));
}
