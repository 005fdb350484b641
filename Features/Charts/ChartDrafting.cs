using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts.Aggregation;
using ChartCraft.Features.Charts.ChartJs;
using ChartCraft.Features.Charts.Insights;
using ChartCraft.Features.Charts.Recommendation;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Observability;
using Microsoft.Extensions.Caching.Hybrid;

namespace ChartCraft.Features.Charts;

/// <summary>What a chart request yields: the request with defaults filled in, the numbers, the Chart.js config and insights.</summary>
public sealed record ChartDraft(ChartRequestConfig Config, AggregatedChart Aggregated, JsonObject ChartConfig, ChartInsights? Insights);

/// <summary>
/// The one path from a chart request to what is stored (create and update both use it): fill in columns
/// the request left out from the best suggestion of that type, aggregate, build the config, write insights.
/// </summary>
public sealed class ChartDrafting(IInsightGenerator insights, HybridCache cache)
{
    /// <summary>The cached part of a draft: everything but the insights (which have their own cache).</summary>
    public sealed record ConfigDraft(ChartRequestConfig Config, AggregatedChart Aggregated, JsonObject ChartConfig);

    /// <param name="source">The source <paramref name="data"/> was read from: its id and version name the data in the cache key.</param>
    public async Task<ChartDraft> DraftAsync(DataSource source, DataSet data, string chartType, string title, ChartRequestConfig? config,
        bool generateInsights, CancellationToken ct)
    {
        // A version of a source never changes, so the inputs fully decide the config: the key is the version and their hash,
        // and an update (or a new version of the data) simply asks for another key.
        var requested = config ?? new ChartRequestConfig();
        var key = $"chart-config:{source.ContentKey}:{Hash(chartType, title, requested)}";
        var draft = await cache.GetOrCreateCountedAsync("chart_config", key, _ =>
        {
            var filled = WithSuggestedColumns(data, chartType, requested);
            var aggregated = ChartAggregator.Aggregate(data, chartType, filled);
            return ValueTask.FromResult(new ConfigDraft(filled, aggregated, ChartJsConfigBuilder.Build(aggregated, ChartPresentation.From(title, filled))));
        }, cancellationToken: ct);
        var written = generateInsights ? await insights.GenerateAsync(draft.Aggregated, title, ct) : null;
        return new ChartDraft(draft.Config, draft.Aggregated, draft.ChartConfig, written);
    }

    static string Hash(string chartType, string title, ChartRequestConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{chartType}\n{title}\n{JsonSerializer.Serialize(config)}")))[..32];

    /// <summary>A request without an x column takes the columns of the best suggestion of its chart type.</summary>
    static ChartRequestConfig WithSuggestedColumns(DataSet data, string chartType, ChartRequestConfig config)
    {
        if (!string.IsNullOrWhiteSpace(config.XColumn) || !ChartTypes.IsKnown(chartType)) return config;
        var suggestion = ChartRecommender.Suggest(data).FirstOrDefault(s => s.ChartType == chartType)
            ?? throw new ProblemException(422, ChartRequestValidation.Title,
                $"config.x_column is required: no {chartType} chart could be chosen from this data.",
                new Dictionary<string, string[]> { ["config.x_column"] = ["is required"] });
        return suggestion.Config with
        {
            Aggregation = config.Aggregation ?? suggestion.Config.Aggregation,
            TimeUnit = config.TimeUnit ?? suggestion.Config.TimeUnit,
            Sort = config.Sort ?? suggestion.Config.Sort,
            Limit = config.Limit ?? suggestion.Config.Limit,
            ColorScheme = config.ColorScheme ?? suggestion.Config.ColorScheme,
            Stacked = config.Stacked ?? suggestion.Config.Stacked,
            XLabel = config.XLabel ?? suggestion.Config.XLabel,
            YLabel = config.YLabel ?? suggestion.Config.YLabel,
            Bins = config.Bins ?? suggestion.Config.Bins,
        };
    }
}
