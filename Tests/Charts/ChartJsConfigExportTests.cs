using ChartCraft.Features.Charts;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Charts;

/// <summary>
/// Writes the Chart.js config of every structural test case (and of every suggestion for the test data sets) to a folder, so that Tests/ChartJsCheck can render
/// each one in a real browser with the real Chart.js after <c>dotnet test</c>.
/// </summary>
public class ChartJsConfigExportTests
{
    /// <summary>CHARTJS_CHECK_DIR, or chartcraft-chartjs-configs under the temp folder.</summary>
    public static string OutputDirectory =>
        Environment.GetEnvironmentVariable("CHARTJS_CHECK_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "chartcraft-chartjs-configs");

    [Fact]
    public void every_generated_config_is_written_for_the_chart_js_check()
    {
        // Clear configs of an earlier run, but only in a folder this test made: CHARTJS_CHECK_DIR may point anywhere.
        var marker = Path.Combine(OutputDirectory, ".chartcraft-chartjs-configs");
        if (Directory.Exists(OutputDirectory) && File.Exists(marker))
            foreach (var stale in Directory.GetFiles(OutputDirectory, "*.json")) File.Delete(stale);
        Directory.CreateDirectory(OutputDirectory);
        File.WriteAllText(marker, "Chart.js configs written by ChartCraft's chart tests; *.json here is replaced on every run.\n");

        var written = 0;
        foreach (var c in ChartCases.All)
        {
            var config = ChartJsConfigBuilder.Build(ChartAggregator.Aggregate(c.Data(), c.ChartType, c.Config), c.Presentation);
            File.WriteAllText(Path.Combine(OutputDirectory, c.Name + ".json"), config.ToJsonString());
            written++;
        }

        // What the recommender suggests must draw too, exactly as suggested.
        foreach (var file in ChartRecommenderTests.DataFiles)
        {
            var data = VegaDatasets.Read(file);
            var suggestions = ChartRecommender.Suggest(data);
            for (var i = 0; i < suggestions.Count; i++)
            {
                var s = suggestions[i];
                var config = ChartJsConfigBuilder.Build(ChartAggregator.Aggregate(data, s.ChartType, s.Config), new ChartPresentation(s.Reason));
                File.WriteAllText(Path.Combine(OutputDirectory, $"suggested_{Path.GetFileNameWithoutExtension(file)}_{i + 1}_{s.ChartType}.json"), config.ToJsonString());
                written++;
            }
        }

        Directory.GetFiles(OutputDirectory, "*.json").Length.ShouldBeGreaterThanOrEqualTo(written);
        written.ShouldBeGreaterThan(ChartCases.All.Count);
    }
}
