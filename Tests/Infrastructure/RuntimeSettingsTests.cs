using System.Text.Json.Nodes;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// Runtime settings the app is started with (<c>dotnet ChartCraft.dll</c> reads them from ChartCraft.runtimeconfig.json,
/// written from ChartCraft.csproj), checked in the file the app itself runs with, not in the test host's.
/// </summary>
public sealed class RuntimeSettingsTests
{
    static JsonObject ConfigProperties()
    {
        var path = Path.ChangeExtension(typeof(Program).Assembly.Location, ".runtimeconfig.json");
        File.Exists(path).ShouldBeTrue(path);
        return JsonNode.Parse(File.ReadAllText(path))!["runtimeOptions"]!["configProperties"]!.AsObject();
    }

    [Fact]
    public void idle_thread_pool_threads_do_not_spin_on_cores_the_instance_shares()
    {
        // Spinning took 30 % of an instance's processor under load on the shared cluster (Benchmarks/load/RESULTS.md, round 7).
        ConfigProperties()["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public void our_methods_are_compiled_optimized_the_first_time_and_tiering_stays_on()
    {
        var properties = ConfigProperties();
        properties["System.Runtime.TieredCompilation.QuickJit"]!.GetValue<bool>().ShouldBeFalse();
        properties.ContainsKey("System.Runtime.TieredCompilation").ShouldBeFalse(); // tiering itself is not switched off
    }
}
