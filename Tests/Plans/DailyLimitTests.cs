using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using ChartCraft.Features.Export;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Features.Newsletter.Publishing;
using ChartCraft.Features.Plans;
using ChartCraft.Infrastructure.Errors;
using ChartCraft.Tests.Export;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Plans;

/// <summary>
/// The free tier's daily limits (exports 3, AI insights 2, publishes 1): 429 with the limit, its value, resets_at (the
/// next UTC midnight) and Retry-After; counted in Redis so racing requests pass exactly the allowed number; only
/// accepted operations count.
/// </summary>
[Collection(PlansCollection.Name)]
public sealed class DailyLimitTests(PlansFixture app)
{
    static string NextUtcMidnight => DateTime.UtcNow.Date.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    static void ShouldBeDailyLimit(HttpResponseMessage response, JsonNode body, string limit, int value)
    {
        ((int)response.StatusCode).ShouldBe(429, body.ToJsonString());
        body.ShouldBeProblem(429);
        body["limit"]!.GetValue<string>().ShouldBe(limit);
        body["limit_value"]!.GetValue<int>().ShouldBe(value);
        body["resets_at"]!.GetValue<string>().ShouldBe(NextUtcMidnight);
        var retryAfter = response.Headers.RetryAfter!.Delta!.Value;
        var untilMidnight = DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow;
        retryAfter.ShouldBeInRange(untilMidnight - TimeSpan.FromMinutes(1), untilMidnight + TimeSpan.FromMinutes(1));
    }

    static readonly object GroundedAnswer = new
    {
        headline = "Revenue keeps climbing month after month",
        insights = new[] { "Every region grows steadily.", "The latest months are the strongest.", "No month breaks the upward run." },
        recommendations = new[] { "Plan capacity for continued growth." },
    };

    [Fact]
    public async Task only_insights_openai_wrote_count_and_the_third_is_429_with_nothing_stored()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);

        // A number the facts do not hold: the statistical engine answers, and that is free.
        app.AnswerInsights(new { headline = "Revenue grew 987% last year", insights = new[] { "Sales hit 123,456 units.", "x", "y" }, recommendations = new[] { "z" } });
        var fallback = await (await app.CreateChartAsync(user, sourceId, $"Fallback {Guid.NewGuid():N}", insights: true)).JsonAsync();
        fallback["ai_insights"]!["source"]!.GetValue<string>().ShouldBe("statistical");
        (await app.UsedAsync(user, "ai_insights_per_day")).ShouldBe(0);

        app.AnswerInsights(GroundedAnswer);
        for (var i = 0; i < 2; i++)
        {
            var chart = await (await app.CreateChartAsync(user, sourceId, $"Written {i} {Guid.NewGuid():N}", insights: true)).JsonAsync();
            chart["ai_insights"]!["source"]!.GetValue<string>().ShouldBe("openai");
        }
        (await app.UsedAsync(user, "ai_insights_per_day")).ShouldBe(2);
        var calls = app.OpenAi.LogEntries.Count();

        var refused = await app.CreateChartAsync(user, sourceId, $"Refused {Guid.NewGuid():N}", insights: true);

        ShouldBeDailyLimit(refused, await refused.JsonAsync(), "ai_insights_per_day", 2);
        app.OpenAi.LogEntries.Count().ShouldBe(calls); // OpenAI is not asked
        await using var session = app.Store.QuerySession();
        (await session.Query<Chart>().CountAsync(c => c.UserId == user.Id)).ShouldBe(3);
        // A chart without insights is still welcome.
        (await app.CreateChartAsync(user, sourceId, "No insights")).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task image_pdf_and_batch_exports_share_the_days_exports_and_a_refused_batch_queues_nothing()
    {
        var (user, _, chartId) = await app.ChartAsync();
        var (imageStatus, image, _) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "svg", width = 400, height = 300 });
        imageStatus.ShouldBe(200, image.ToJsonString());
        var pdf = await app.Client(user.AccessToken).PostAsync("/api/export/pdf", JsonContent.Create(new { chart_ids = new[] { chartId }, title = "Report" }));
        pdf.StatusCode.ShouldBe(HttpStatusCode.Accepted, await pdf.Content.ReadAsStringAsync());
        (await app.UsedAsync(user, "exports_per_day")).ShouldBe(2);

        var two = new { requests = new object[] { new { format = "svg", chart_id = chartId }, new { format = "svg", chart_id = chartId } } };
        var (_, tooMany, response) = await app.ExportBatchAsync(user, two);

        ShouldBeDailyLimit(response, tooMany, "exports_per_day", 3);
        tooMany["detail"]!.GetValue<string>().ShouldContain("needs 2");
        await using (var session = app.Store.QuerySession())
            (await session.Query<ExportJob>().CountAsync(j => j.UserId == user.Id)).ShouldBe(2);
        (await app.UsedAsync(user, "exports_per_day")).ShouldBe(2);

        var (oneStatus, one, _) = await app.ExportBatchAsync(user, new { requests = new object[] { new { format = "svg", chart_id = chartId } } });
        oneStatus.ShouldBe(202, one.ToJsonString());
        var (_, last, lastResponse) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "svg", width = 400, height = 300 });
        ShouldBeDailyLimit(lastResponse, last, "exports_per_day", 3);
        (await app.UsedAsync(user, "exports_per_day")).ShouldBe(3);
    }

    [Fact]
    public async Task an_export_refused_for_another_reason_gives_its_unit_back()
    {
        var (user, _, chartId) = await app.ChartAsync();
        await using (var session = app.Store.LightweightSession())
        {
            // Another instance's exports fill the user's queue (EXPORT_MAX_QUEUED_PER_USER is 100).
            for (var i = 0; i < 100; i++)
                session.Store(new ExportJob { Id = Guid.CreateVersion7(), UserId = user.Id, ChartIds = [chartId], CreatedAt = DateTimeOffset.UtcNow });
            await session.SaveChangesAsync();
        }

        var pdf = await app.Client(user.AccessToken).PostAsync("/api/export/pdf", JsonContent.Create(new { chart_ids = new[] { chartId } }));

        pdf.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await pdf.JsonAsync()).AsObject().ContainsKey("limit").ShouldBeFalse(); // the queue's refusal, not the plan's
        (await app.UsedAsync(user, "exports_per_day")).ShouldBe(0);
    }

    [Fact]
    public async Task the_second_publish_of_the_day_is_429_and_stores_no_job()
    {
        var user = await app.RegisterAsync();
        var chartId = SalesCharts.IdOf(await app.CreateSalesChartAsync(user), "chart_id");
        await using (var session = app.Store.LightweightSession())
        {
            // Connected as far as the endpoint can tell; the job itself fails later on the made-up credentials.
            session.Store(new Integration
            {
                Id = Integration.IdFor(user.Id, NewsletterProviders.Mailchimp), UserId = user.Id, Provider = NewsletterProviders.Mailchimp,
                ProtectedCredentials = "not-a-real-payload", ConnectedAt = DateTimeOffset.UtcNow,
            });
            await session.SaveChangesAsync();
        }
        var request = new { chart_id = chartId, provider = "mailchimp" };
        var first = await app.Client(user.AccessToken).PostAsync("/api/newsletter/publish", JsonContent.Create(request));
        first.StatusCode.ShouldBe(HttpStatusCode.Accepted, await first.Content.ReadAsStringAsync());

        var second = await app.Client(user.AccessToken).PostAsync("/api/newsletter/publish", JsonContent.Create(request));

        ShouldBeDailyLimit(second, await second.JsonAsync(), "publishes_per_day", 1);
        await using var query = app.Store.QuerySession();
        (await query.Query<PublishJob>().CountAsync(j => j.UserId == user.Id)).ShouldBe(1);
        (await app.UsedAsync(user, "publishes_per_day")).ShouldBe(1);
    }

    [Fact]
    public async Task units_taken_at_once_at_the_edge_never_pass_the_limit_and_unkept_ones_go_back()
    {
        var user = await app.RegisterAsync();
        var plans = app.Host.Services.GetRequiredService<PlanEnforcement>();

        var racing = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            try
            {
                var units = await plans.ConsumeDailyAsync(user.Id, PlanLimit.ExportsPerDay, CancellationToken.None);
                units.Keep();
                return 200;
            }
            catch (ProblemException refused)
            {
                return refused.Status;
            }
        }));

        racing.Count(s => s == 200).ShouldBe(3);
        racing.Count(s => s == 429).ShouldBe(17);
        (await app.UsedAsync(user, "exports_per_day")).ShouldBe(3);

        var other = await app.RegisterAsync();
        await using (await plans.ConsumeDailyAsync(other.Id, PlanLimit.PublishesPerDay, CancellationToken.None))
            (await app.UsedAsync(other, "publishes_per_day")).ShouldBe(1);
        (await app.UsedAsync(other, "publishes_per_day")).ShouldBe(0); // not kept: given back
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => plans.ConsumeDailyAsync(other.Id, PlanLimit.Charts, CancellationToken.None));
    }
}
