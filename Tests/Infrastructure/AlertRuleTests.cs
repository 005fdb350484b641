using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>The metric names that deploy/prometheus/alerts.yml and deploy/grafana/chartcraft.json query.</summary>
public static partial class DeployedQueries
{
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "deploy", "prometheus", "alerts.yml"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("deploy/prometheus/alerts.yml not found above the test folder");
    }

    public static string AlertsPath => Path.Combine(RepositoryRoot(), "deploy", "prometheus", "alerts.yml");
    public static string DashboardPath => Path.Combine(RepositoryRoot(), "deploy", "grafana", "chartcraft.json");

    /// <summary>Every <c>expr:</c> of the rules file, single-line or a block (<c>expr: |</c>).</summary>
    public static IReadOnlyList<string> AlertExpressions()
    {
        var lines = File.ReadAllLines(AlertsPath);
        var expressions = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Regex.Match(lines[i], @"^(\s*)expr:\s*(.*)$");
            if (!match.Success) continue;
            var value = match.Groups[2].Value.Trim();
            if (value is not ("|" or ">" or "|-" or ">-"))
            {
                expressions.Add(value);
                continue;
            }
            var indent = match.Groups[1].Value.Length;
            var block = new List<string>();
            while (i + 1 < lines.Length && (lines[i + 1].Trim().Length == 0 || lines[i + 1].Length - lines[i + 1].TrimStart().Length > indent))
                block.Add(lines[++i].Trim());
            expressions.Add(string.Join(" ", block));
        }
        return expressions;
    }

    /// <summary>Every PromQL query of the dashboard: panel targets and variable queries.</summary>
    public static IReadOnlyList<string> DashboardExpressions()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardPath))!;
        var expressions = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                        if (key is "expr" or "definition" && value is JsonValue v && v.TryGetValue<string>(out var text)) expressions.Add(text);
                        else Walk(value);
                    break;
                case JsonArray a:
                    foreach (var item in a) Walk(item);
                    break;
            }
        }
        Walk(dashboard);
        return expressions;
    }

    static readonly HashSet<string> Keywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan"];

    /// <summary>
    /// The metric names a PromQL expression selects: identifiers that are not functions, keywords, label names
    /// (in matchers or in by/without/on/ignoring lists), strings, durations or Grafana variables.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Regex.Replace(expression, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");                          // strings
        text = Regex.Replace(text, @"\{[^{}]*\}", " ");                                                    // label matchers
        text = Regex.Replace(text, @"\[[^\]]*\]", " ");                                                    // ranges
        text = Regex.Replace(text, @"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " "); // label lists
        text = Regex.Replace(text, @"\$\w+", " ");                                                         // Grafana variables
        text = Regex.Replace(text, @"label_values\(\s*([^,()]+?)\s*,\s*\w+\s*\)", "label_values($1)");         // Grafana: (metric, label)
        var names = new HashSet<string>();
        foreach (Match m in Regex.Matches(text, @"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?"))
        {
            if (m.Groups[2].Success) continue; // a function call (or label_values)
            if (!Keywords.Contains(m.Groups[1].Value.ToLowerInvariant())) names.Add(m.Groups[1].Value);
        }
        return names;
    }

    /// <summary>Names with at least one sample in a Prometheus text scrape, plus the histogram names (their _bucket/_count/_sum samples).</summary>
    public static IReadOnlySet<string> ScrapedNames(string scrape)
    {
        var names = new HashSet<string>();
        foreach (var line in scrape.Split('\n'))
        {
            // A histogram's samples are name_bucket/_count/_sum; its own name counts as present too.
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal) && line.EndsWith(" histogram", StringComparison.Ordinal))
                names.Add(line.Split(' ')[2]);
            if (line.Length == 0 || line[0] == '#') continue;
            names.Add(Regex.Match(line, @"^[a-zA-Z_:][a-zA-Z0-9_:]*").Value);
        }
        return names;
    }
}

/// <summary>promtool validates the rules and runs their unit tests (deploy/prometheus/alerts.test.yml).</summary>
public sealed class AlertRuleTests
{
    static async Task<(int ExitCode, string Output)> PromtoolAsync(string workingDirectory, params string[] args)
    {
        var promtool = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool is not installed: run scripts/services.sh install (Debian package prometheus)");
        var start = new ProcessStartInfo(promtool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task alert_rules_pass_promtool_check()
    {
        var (code, output) = await PromtoolAsync(DeployedQueries.RepositoryRoot(), "check", "rules", DeployedQueries.AlertsPath);
        code.ShouldBe(0, output);
        output.ShouldContain("SUCCESS");
    }

    [Fact]
    public async Task alert_rules_pass_their_promtool_unit_tests()
    {
        var (code, output) = await PromtoolAsync(Path.GetDirectoryName(DeployedQueries.AlertsPath)!, "test", "rules", "alerts.test.yml");
        code.ShouldBe(0, output);
        output.ShouldContain("SUCCESS");
    }

    [Fact]
    public void the_rules_cover_errors_latency_readiness_exports_webhooks_and_integrations()
    {
        var used = DeployedQueries.AlertExpressions().SelectMany(DeployedQueries.MetricNames).ToHashSet();
        used.ShouldContain("http_requests_received_total");
        used.ShouldContain("http_request_duration_seconds_bucket");
        used.ShouldContain("chartcraft_ready");
        used.ShouldContain("chartcraft_export_queue_oldest_age_seconds");
        used.ShouldContain("chartcraft_webhook_deliveries_settled_total");
        used.ShouldContain("chartcraft_integrations");
    }

    [Fact]
    public void metric_names_are_read_from_promql()
    {
        DeployedQueries.MetricNames(
                "histogram_quantile(0.95, sum by (le, job) (rate(x_seconds_bucket{instance=~\"$instance\",job!=\"a b\"}[$__rate_interval]))) "
                + "/ on (provider) max by (provider) (sum without (status) (y_total{status=~\"connected|error\"})) > 0.2 and z >= 3")
            .OrderBy(n => n).ShouldBe(["x_seconds_bucket", "y_total", "z"]);
        DeployedQueries.MetricNames("label_values(http_requests_received_total, instance)").ShouldBe(["http_requests_received_total"]);
    }
}

/// <summary>
/// A host where a webhook receiver that always fails makes its deliveries give up at once, so a short smoke flow
/// produces every series the alerts and the dashboard query.
/// </summary>
public sealed class SmokeMetricsFixture : AppFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WEBHOOK_ALLOW_LOOPBACK_TARGETS"] = "true",
        ["WEBHOOK_RETRY_DELAYS_SECONDS"] = "none",
        ["WEBHOOK_TIMEOUT_SECONDS"] = "5",
    };

    protected override void ConfigureServices(IServiceCollection services) => LocalWebhooksFixture.FastScheduledRetries(services);
}

public sealed class DeployedQueriesMetricsTests(SmokeMetricsFixture app) : IClassFixture<SmokeMetricsFixture>
{
    /// <summary>Series Prometheus makes itself: not the app's to export.</summary>
    static readonly HashSet<string> PrometheusOwn = ["up"];

    [Fact]
    public async Task every_metric_the_alerts_and_the_dashboard_query_is_in_a_scrape_after_a_smoke_flow()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = _ => 500;
        var user = await app.RegisterAsync();
        var client = app.Client(user.AccessToken);
        var webhook = await app.CreateWebhookOkAsync(user, receiver.Url(), "chart.created");

        var source = await app.UploadOkAsync(user, Uploads.SalesCsv(), "sales.csv");
        var sourceId = source["data_source_id"]!.GetValue<string>();
        for (var i = 0; i < 2; i++) // the second of each is a cache hit
        {
            (await client.PostAsync("/api/data/analyze", JsonContent.Create(new { data_source_id = sourceId }))).EnsureSuccessStatusCode();
            (await client.GetAsync($"/api/charts/suggest-type?data_source_id={sourceId}")).EnsureSuccessStatusCode();
        }
        string chartId = null!;
        for (var i = 0; i < 2; i++)
        {
            var created = await client.PostAsync("/api/charts", JsonContent.Create(new
            {
                data_source_id = sourceId, chart_type = "bar", title = "Revenue by region",
                config = new { x_column = "region", y_column = "revenue" },
            }));
            ((int)created.StatusCode).ShouldBe(201, await created.Content.ReadAsStringAsync());
            chartId = (await created.JsonAsync())["chart_id"]!.GetValue<string>();
        }
        for (var i = 0; i < 2; i++) (await client.GetAsync($"/api/charts/{chartId}")).EnsureSuccessStatusCode();
        var export = await client.PostAsync("/api/export/image", JsonContent.Create(new { chart_id = chartId, format = "svg", width = 400, height = 300 }));
        ((int)export.StatusCode).ShouldBeOneOf([200, 202], await export.Content.ReadAsStringAsync());
        // Both chart.created deliveries give up on the first 500: settled, counted as failed jobs.
        await app.WaitForDeliveriesAsync(user, webhook["webhook_id"]!.GetValue<string>(),
            items => items.Count == 2 && items.All(d => d!.Status() == "gave_up"));

        var scrape = await (await app.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        var scraped = DeployedQueries.ScrapedNames(scrape);
        var queried = DeployedQueries.AlertExpressions().Concat(DeployedQueries.DashboardExpressions())
            .SelectMany(DeployedQueries.MetricNames).ToHashSet();

        queried.Count.ShouldBeGreaterThan(10);
        queried.Except(PrometheusOwn).Where(name => !scraped.Contains(name)).ShouldBeEmpty("queried by alerts.yml or chartcraft.json but not in /metrics");
        // The caches named in the smoke flow report both outcomes.
        foreach (var cache in new[] { "dataset", "analysis", "suggestions", "chart_config" })
            scrape.ShouldContain($"chartcraft_cache_requests_total{{cache=\"{cache}\",result=\"hit\"}}");
    }
}
