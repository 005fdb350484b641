using System.Collections.Concurrent;
using System.Net;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Infrastructure.Observability;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>Which requests get a log line: failures, slow ones and a sample of the rest; abandoned requests no error.</summary>
public sealed class RequestLoggingTests(RequestLoggingTests.LogCaptureFixture app) : IClassFixture<RequestLoggingTests.LogCaptureFixture>
{
    /// <summary>Nothing sampled, 300 ms is slow; log events captured; routes that sleep and that run a slow query.</summary>
    public sealed class LogCaptureFixture : AppFixture
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["LOG_REQUEST_SAMPLE_RATE"] = "0",
            ["LOG_SLOW_REQUEST_MS"] = "300",
        };

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.AddSingleton<ILogEventSink>(new Capture(Events));
            services.AddTransient<IStartupFilter, SlowRoutes>();
        }

        public IReadOnlyList<LogEvent> RequestLines(string path) => Events
            .Where(e => e.MessageTemplate.Text.StartsWith("HTTP ") && e.Properties.TryGetValue("RequestPath", out var p) && p is ScalarValue { Value: string s } && s == path).ToList();

        sealed class Capture(ConcurrentQueue<LogEvent> events) : ILogEventSink
        {
            public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);
        }
    }

    /// <summary>/api/test/sleep/{ms} answers 200 after that long; /api/test/slow-query runs a 10 s query, cancelled with the request.</summary>
    sealed class SlowRoutes : IStartupFilter
    {
        public static readonly TaskCompletionSource<Exception?> SlowQueryEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use(async (http, nextMiddleware) =>
            {
                var path = http.Request.Path.Value ?? "";
                if (path.StartsWith("/api/test/sleep/"))
                {
                    await Task.Delay(int.Parse(path["/api/test/sleep/".Length..]), http.RequestAborted);
                    http.Response.StatusCode = 200;
                }
                else if (path == "/api/test/slow-query")
                {
                    try
                    {
                        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession();
                        await session.QueryAsync<int>("select 1 from pg_sleep(10)", http.RequestAborted);
                        SlowQueryEnded.TrySetResult(null);
                    }
                    catch (Exception ex)
                    {
                        SlowQueryEnded.TrySetResult(ex);
                        throw;
                    }
                }
                else await nextMiddleware(http);
            });
        };
    }

    [Fact]
    public async Task a_fast_200_that_is_not_sampled_writes_no_line()
    {
        (await app.Client().GetAsync("/api/test/sleep/1")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Client().GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(100);
        app.RequestLines("/api/test/sleep/1").ShouldBeEmpty();
        app.RequestLines("/health").ShouldBeEmpty();
    }

    [Fact]
    public async Task a_500_writes_an_error_line_with_request_id_route_status_and_duration()
    {
        var response = await app.Client().GetAsync(FailingRouteStartupFilter.Path);
        ((int)response.StatusCode).ShouldBe(500);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        await Task.Delay(100);
        var line = app.RequestLines(FailingRouteStartupFilter.Path).Where(l => l.Properties["RequestId"].ToString() == $"\"{requestId}\"")
            .ShouldHaveSingleItem();
        line.Level.ShouldBe(LogEventLevel.Error);
        line.Properties["StatusCode"].ToString().ShouldBe("500");
        line.Properties.ShouldContainKey("Route");
        line.Properties.ShouldContainKey("Elapsed");
        line.Properties.ShouldContainKey("UserId");
    }

    [Fact]
    public async Task request_lines_keep_their_route_and_user_after_another_host_in_the_process_stopped()
    {
        // A host that stops closes the static logger (Log.CloseAndFlush), as the tests' many hosts do all the time.
        Serilog.Log.CloseAndFlush();
        var response = await app.Client().GetAsync(FailingRouteStartupFilter.Path);
        ((int)response.StatusCode).ShouldBe(500);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        await Task.Delay(100);
        var line = app.RequestLines(FailingRouteStartupFilter.Path).Single(l => l.Properties["RequestId"].ToString() == $"\"{requestId}\"");
        line.Properties["Route"].ToString().ShouldBe($"\"{FailingRouteStartupFilter.Path}\"");
        line.Properties.ShouldContainKey("UserId");
    }

    [Fact]
    public async Task a_slow_request_writes_a_warning_line()
    {
        (await app.Client().GetAsync("/api/test/sleep/400")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Task.Delay(100);
        var line = app.RequestLines("/api/test/sleep/400").ShouldHaveSingleItem();
        line.Level.ShouldBe(LogEventLevel.Warning);
        line.Properties["StatusCode"].ToString().ShouldBe("200");
    }

    [Fact]
    public async Task a_request_the_client_abandons_mid_query_writes_no_error_not_even_from_marten()
    {
        var before = app.Events.Count;
        using var abandon = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Should.ThrowAsync<OperationCanceledException>(() => app.Client().GetAsync("/api/test/slow-query", abandon.Token));
        var ended = await SlowRoutes.SlowQueryEnded.Task.WaitAsync(TimeSpan.FromSeconds(5)); // the query was cancelled, not finished
        ended.ShouldBeAssignableTo<OperationCanceledException>();
        await Task.Delay(300); // the request's own line, after the exception left the pipeline
        // Events of this request only (a previous test's line may land late on a busy machine).
        var after = app.Events.Skip(before)
            .Where(e => e.Properties.TryGetValue("RequestPath", out var p) && p.ToString() == "\"/api/test/slow-query\"").ToList();
        after.Where(e => e.Level >= LogEventLevel.Warning).Select(e => $"{e.Properties.GetValueOrDefault("SourceContext")}: {e.RenderMessage()} {e.Exception?.GetType().Name}").ShouldBeEmpty();
        app.RequestLines("/api/test/slow-query").ShouldAllBe(e => e.Level <= LogEventLevel.Debug);
    }

    [Fact]
    public void the_level_follows_status_duration_and_sample()
    {
        var settings = new LoggingSettings(0.01, TimeSpan.FromMilliseconds(500));
        LogEventLevel Level(int status, double ms = 5, Exception? ex = null, double draw = 0.5, bool aborted = false)
        {
            var http = new DefaultHttpContext();
            http.Response.StatusCode = status;
            if (aborted)
            {
                var cts = new CancellationTokenSource();
                cts.Cancel();
                http.RequestAborted = cts.Token;
            }
            return settings.LevelFor(http, ms, ex, () => draw);
        }

        Level(200).ShouldBe(LogEventLevel.Verbose); // sampled out: no line
        Level(200, draw: 0.001).ShouldBe(LogEventLevel.Information); // in the 1 % sample
        Level(404).ShouldBe(LogEventLevel.Verbose);
        Level(429).ShouldBe(LogEventLevel.Verbose);
        Level(422).ShouldBe(LogEventLevel.Information);
        Level(200, ms: 501).ShouldBe(LogEventLevel.Warning);
        Level(500).ShouldBe(LogEventLevel.Error);
        Level(200, ex: new InvalidOperationException()).ShouldBe(LogEventLevel.Error);
        Level(499).ShouldBe(LogEventLevel.Debug);
        Level(500, ex: new OperationCanceledException(), aborted: true).ShouldBe(LogEventLevel.Debug);
        new LoggingSettings(0, TimeSpan.FromSeconds(1)).LevelFor(new DefaultHttpContext(), 1, null, () => 0).ShouldBe(LogEventLevel.Verbose);
    }

    [Theory]
    [InlineData("LOG_REQUEST_SAMPLE_RATE", "1.5")]
    [InlineData("LOG_REQUEST_SAMPLE_RATE", "often")]
    [InlineData("LOG_SLOW_REQUEST_MS", "0")]
    [InlineData("LOG_SLOW_REQUEST_MS", "fast")]
    public void a_bad_logging_setting_names_its_variable(string key, string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        Should.Throw<InvalidConfigurationException>(() => LoggingSettings.Load(config)).Variable.ShouldBe(key);
    }

    [Fact]
    public void logging_settings_default_to_a_1_percent_sample_and_500_ms()
    {
        var settings = LoggingSettings.Load(new ConfigurationBuilder().Build());
        settings.RequestSampleRate.ShouldBe(0.01);
        settings.SlowRequest.ShouldBe(TimeSpan.FromMilliseconds(500));
    }
}

public sealed class CancellationLoggingTests
{
    static LogEvent Event(string source, Exception ex, LogEventLevel level = LogEventLevel.Error) => new(DateTimeOffset.UtcNow, level, ex,
        new MessageTemplate("failed", []), [new LogEventProperty("SourceContext", new ScalarValue(source))]);

    [Fact]
    public void martens_error_for_a_cancelled_command_is_dropped_but_real_timeouts_and_other_errors_are_kept()
    {
        Logging.IsCancellation(Event("Marten.IMartenLogger", new OperationCanceledException())).ShouldBeTrue();
        Logging.IsCancellation(Event("Marten.IMartenLogger", new Exception("wrapped", new TaskCanceledException()))).ShouldBeTrue();
        Logging.IsCancellation(Event("Marten.IMartenLogger", new InvalidOperationException())).ShouldBeFalse();
        Logging.IsCancellation(Event("System.Net.Http.HttpClient", new TaskCanceledException())).ShouldBeFalse();
        Logging.IsCancellation(Event("Marten.IMartenLogger", new TaskCanceledException("timeout", new TimeoutException()))).ShouldBeFalse();
    }
}
