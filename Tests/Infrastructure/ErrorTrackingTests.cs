using System.Net;
using Microsoft.Extensions.Configuration;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>With SENTRY_DSN set, an unexpected error is reported to Sentry with the request id the 500 carries, and nothing more.</summary>
public sealed class ErrorTrackingTests
{
    sealed class ReportingFixture(string dsn) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["SENTRY_DSN"] = dsn, ["SENTRY_ENVIRONMENT"] = "test",
        };
    }

    [Fact]
    public async Task a_500_is_reported_with_its_trace_id_and_route_and_without_the_callers_token()
    {
        await using var sentry = await FakeSentry.StartAsync();
        var app = new ReportingFixture(sentry.Dsn);
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            var response = await app.Client(user.AccessToken).GetAsync(FailingRouteStartupFilter.Path + "?secret=abc");
            response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
            var traceId = (await response.JsonAsync())["trace_id"]!.GetValue<string>();

            var report = await sentry.WaitForEventAsync(e => e["tags"]?["trace_id"]?.GetValue<string>() == traceId, TimeSpan.FromSeconds(20));

            report["level"]!.GetValue<string>().ShouldBe("error");
            report["environment"]!.GetValue<string>().ShouldBe("test");
            var exception = report["exception"]!["values"]![0]!;
            exception["type"]!.GetValue<string>().ShouldBe("System.InvalidOperationException");
            report["tags"]!["method"]!.GetValue<string>().ShouldBe("GET");
            report["tags"]!["route"]!.GetValue<string>().ShouldBe(FailingRouteStartupFilter.Path);
            var sent = string.Join("\n", sentry.Envelopes.Select(e => e.Body));
            sent.ShouldNotContain(user.AccessToken);
            sent.ShouldNotContain("secret=abc");
            sent.ShouldNotContain(user.Email);
            sentry.Envelopes[0].Headers["x-sentry-auth"].ShouldContain("sentry_key=testkey");

            // A handled client error is not a server fault: nothing is reported for it.
            var before = sentry.Events().Count;
            (await app.Client(user.AccessToken).GetAsync($"/api/charts/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            await Task.Delay(500);
            sentry.Events().Count.ShouldBe(before);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("https://sentry.example.com/42")]
    [InlineData("ftp://key@sentry.example.com/42")]
    [InlineData("https://key@sentry.example.com/")]
    public void a_malformed_dsn_stops_start_up_naming_sentry_dsn(string dsn)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["SENTRY_DSN"] = dsn }).Build();

        var error = Should.Throw<ChartCraft.Infrastructure.Configuration.InvalidConfigurationException>(() =>
            ChartCraft.Infrastructure.Observability.ErrorTracking.AddChartCraftErrorTracking(
                new Microsoft.Extensions.DependencyInjection.ServiceCollection(), configuration));

        error.Message.ShouldBe("SENTRY_DSN: must look like https://<key>@<host>/<project id>");
    }

    [Fact]
    public void without_a_dsn_nothing_is_registered()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        ChartCraft.Infrastructure.Observability.ErrorTracking.AddChartCraftErrorTracking(services,
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.ShouldBeEmpty();
    }
}
