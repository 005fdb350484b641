using System.Net;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Export;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Export;

/// <summary>A queued export survives the app stopping: another start of the app on the same database completes it.</summary>
public sealed class ExportRestartTests
{
    /// <summary>An instance whose browser never starts (a stand-in that hangs), so its render cannot finish.</summary>
    sealed class StuckInstance(string chromium) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["CHROMIUM_PATH"] = chromium };
    }

    sealed class NextInstance(AppFixture first) : AppFixture
    {
        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["DATABASE_SCHEMA"] = first.Schema,
            ["REDIS_KEY_PREFIX"] = $"test:{first.Schema}:",
            ["STORAGE_LOCAL_PATH"] = first.StoragePath,
        };

        public async Task StopAsync() => await Host.DisposeAsync();
    }

    [Fact]
    public async Task a_pdf_export_left_unfinished_by_a_stopped_instance_is_completed_after_a_restart()
    {
        var hangingBrowser = Path.Combine(Path.GetTempPath(), $"chartcraft-hanging-chromium-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(hangingBrowser, "#!/bin/sh\nexec sleep 300\n");
        File.SetUnixFileMode(hangingBrowser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var first = new StuckInstance(hangingBrowser);
        await first.InitializeAsync();
        Guid exportId;
        TestUser user;
        try
        {
            user = await first.RegisterAsync();
            var chart = await first.CreateSalesChartAsync(user, "Survivor");
            var queued = await (await first.Host.Scenario(s =>
            {
                s.WithBearerToken(user.AccessToken);
                s.Post.Json(new { chart_ids = new[] { chart["chart_id"]!.GetValue<string>() }, title = "Survivor report" }).ToUrl("/api/export/pdf");
                s.StatusCodeShouldBe(202);
            })).JsonAsync();
            exportId = Guid.Parse(queued["export_id"]!.GetValue<string>());

            // Wait until the first instance has picked the job up (it then hangs waiting for its browser).
            await Poll(first, exportId, job => job.Status == ExportStatuses.Running);
        }
        finally
        {
            // Stop the first instance (its schema stays: the next instance owns it from here).
            await first.Host.DisposeAsync();
        }

        var next = new NextInstance(first);
        await next.InitializeAsync();
        try
        {
            var job = await Poll(next, exportId, j => j.Status is ExportStatuses.Completed or ExportStatuses.Failed, seconds: 90);
            job.Status.ShouldBe(ExportStatuses.Completed, job.Error);
            var response = await (await next.Client(user.AccessToken).GetAsync($"/api/export/{exportId}")).JsonAsync();
            var pdf = await next.Client().GetAsync(new Uri(response["download_url"]!.GetValue<string>()).PathAndQuery);
            pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await pdf.Content.ReadAsByteArrayAsync()).Take(5).ShouldBe("%PDF-"u8.ToArray());
        }
        finally
        {
            await next.DisposeAsync(); // drops the schema
            File.Delete(hangingBrowser);
        }
    }

    static async Task<ExportJob> Poll(AppFixture app, Guid exportId, Func<ExportJob, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            await using (var session = app.Store.QuerySession())
            {
                var job = await session.LoadAsync<ExportJob>(exportId);
                if (job is not null && done(job)) return job;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"export {exportId} is {job?.Status} after {seconds} s");
            }
            await Task.Delay(200);
        }
    }
}
