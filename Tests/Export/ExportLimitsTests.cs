using ChartCraft.Features.Export;
using ChartCraft.Infrastructure.Configuration;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.Configuration;

namespace ChartCraft.Tests.Export;

/// <summary>
/// Pixels bound each image and each batch (422 naming the field), and each user's queued or running exports, counted in
/// the database, bound what may wait (429 with Retry-After). Nothing is stored when a request is refused.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ExportLimitsTests(AppFixture app)
{
    async Task<int> JobsOf(TestUser user)
    {
        await using var session = app.Store.QuerySession();
        return await session.Query<ExportJob>().CountAsync(j => j.UserId == user.Id);
    }

    /// <summary>Work another instance queued for the user: documents only, no message, so they stay queued.</summary>
    async Task QueuedElsewhere(TestUser user, int count, double megapixelsEach, string status = ExportStatuses.Queued)
    {
        await using var session = app.Store.LightweightSession();
        for (var i = 0; i < count; i++)
            session.Store(new ExportJob
            {
                Id = Guid.CreateVersion7(), UserId = user.Id, ChartIds = [Guid.NewGuid()], Status = status, Megapixels = megapixelsEach,
                CreatedAt = DateTimeOffset.UtcNow,
            });
        await session.SaveChangesAsync();
    }

    [Theory]
    [InlineData(4000, 4000, 192, "dpi")] // 8000 × 8000 = 64 MP
    [InlineData(3000, 3000, 161, "dpi")] // 5031 × 5031 ≈ 25.3 MP: just over (at 160 dpi it is exactly 25 MP, accepted)
    public async Task an_image_over_25_megapixels_is_422_naming_the_field_and_stores_nothing(int width, int height, int dpi, string field)
    {
        var (user, _, chartId) = await app.ChartAsync();
        var (status, body, _) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "png", width, height, dpi });
        status.ShouldBe(422, body.ToJsonString());
        body.ShouldBeProblem(422)["errors"]![field]![0]!.GetValue<string>().ShouldContain("at most 25 megapixels per image");
        (await JobsOf(user)).ShouldBe(0);
    }

    [Fact]
    public async Task an_svg_costs_its_size_not_its_dpi_and_a_png_of_25_megapixels_is_accepted_in_a_batch()
    {
        var (user, _, chartId) = await app.ChartAsync();
        var (status, body, _) = await app.ExportBatchAsync(user, new
        {
            requests = new object[]
            {
                new { format = "svg", chart_id = chartId, width = 4000, height = 4000, dpi = 600 },
                new { format = "png", chart_id = chartId, width = 2500, height = 2500, dpi = 192 }, // 5000 × 5000
            },
        });
        status.ShouldBe(202, body.ToJsonString());
        await using var session = app.Store.QuerySession();
        var costs = await session.Query<ExportJob>().Where(j => j.UserId == user.Id).Select(j => j.Megapixels).ToListAsync();
        costs.Order().ShouldBe([16, 25]);
    }

    [Fact]
    public async Task a_batch_item_over_the_image_limit_is_422_naming_it()
    {
        var (user, _, chartId) = await app.ChartAsync();
        var (status, body, _) = await app.ExportBatchAsync(user, new
        {
            requests = new object[]
            {
                new { format = "png", chart_id = chartId, width = 300, height = 200 },
                new { format = "png", chart_id = chartId, width = 4000, height = 4000, dpi = 192 },
            },
        });
        status.ShouldBe(422, body.ToJsonString());
        body["errors"]!["requests[1].dpi"].ShouldNotBeNull(body.ToJsonString());
        (await JobsOf(user)).ShouldBe(0);
    }

    [Fact]
    public async Task a_batch_over_100_megapixels_is_422_naming_requests_and_stores_nothing()
    {
        var (user, _, chartId) = await app.ChartAsync();
        // The probe's shape within the per-image limit: ten PNGs of 5000 × 5000 pixels (25 MP each) = 250 MP.
        var (status, body, _) = await app.ExportBatchAsync(user, new
        {
            requests = Enumerable.Range(0, 10).Select(_ => new { format = "png", chart_id = chartId, width = 2500, height = 2500, dpi = 192 }).ToArray(),
        });
        status.ShouldBe(422, body.ToJsonString());
        body.ShouldBeProblem(422)["errors"]!["requests"]![0]!.GetValue<string>().ShouldContain("250 megapixels; at most 100 per batch");
        (await JobsOf(user)).ShouldBe(0);
    }

    [Fact]
    public async Task a_user_with_200_megapixels_queued_or_running_gets_429_with_retry_after_and_nothing_is_stored()
    {
        var (user, _, chartId) = await app.ChartAsync();
        await QueuedElsewhere(user, 1, 150);
        await QueuedElsewhere(user, 1, 45, ExportStatuses.Running);
        // Done work does not count.
        await QueuedElsewhere(user, 3, 100, ExportStatuses.Completed);

        var (status, body, response) = await app.ExportBatchAsync(user, new
        {
            requests = new object[] { new { format = "png", chart_id = chartId, width = 2000, height = 2000, dpi = 120 } }, // 6.25 MP
        });
        status.ShouldBe(429, body.ToJsonString());
        body.ShouldBeProblem(429)["detail"]!.GetValue<string>().ShouldContain("at most 200 megapixels");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(10));
        (await JobsOf(user)).ShouldBe(5);

        // The same holds for a render now and for a report; a small one still fits.
        var (image, _, imageResponse) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "png", width = 2000, height = 2000, dpi = 120 });
        image.ShouldBe(429);
        imageResponse.Headers.RetryAfter.ShouldNotBeNull();
        var (small, smallBody, _) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "png", width = 300, height = 200 });
        small.ShouldBe(200, smallBody.ToJsonString());
    }

    [Fact]
    public async Task a_user_with_100_exports_queued_gets_429_for_one_more_and_other_users_are_not_affected()
    {
        var (user, _, chartId) = await app.ChartAsync();
        await QueuedElsewhere(user, 100, 0.1);

        var pdf = await app.Client(user.AccessToken).PostAsync("/api/export/pdf",
            System.Net.Http.Json.JsonContent.Create(new { chart_ids = new[] { chartId }, title = "One more" }));
        ((int)pdf.StatusCode).ShouldBe(429);
        (await pdf.JsonAsync()).ShouldBeProblem(429)["detail"]!.GetValue<string>().ShouldContain("100 exports queued or running");
        pdf.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(10));
        (await JobsOf(user)).ShouldBe(100);

        var (other, _, otherChart) = await app.ChartAsync();
        var fine = await app.Client(other.AccessToken).PostAsync("/api/export/pdf",
            System.Net.Http.Json.JsonContent.Create(new { chart_ids = new[] { otherChart }, title = "Mine" }));
        ((int)fine.StatusCode).ShouldBe(202);
    }
}

public sealed class ExportLimitSettingsTests
{
    static ExportSettings Load(string key, string? value) => ExportSettings.Load(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());

    [Fact]
    public void the_limits_default_to_25_and_100_megapixels_and_100_exports_or_200_megapixels_queued_per_user() =>
        Load("UNRELATED", null).Limits.ShouldBe(new ExportLimits(25, 100, 100, 200));

    [Theory]
    [InlineData("EXPORT_MAX_IMAGE_MEGAPIXELS", "12", 12)]
    [InlineData("EXPORT_MAX_BATCH_MEGAPIXELS", "400", 400)]
    [InlineData("EXPORT_MAX_QUEUED_PER_USER", "20", 20)]
    [InlineData("EXPORT_MAX_QUEUED_MEGAPIXELS_PER_USER", "1000", 1000)]
    public void each_limit_is_read_from_its_variable(string key, string value, int expected)
    {
        var limits = Load(key, value).Limits;
        new[] { limits.MaxImageMegapixels, limits.MaxBatchMegapixels, limits.MaxQueuedPerUser, limits.MaxQueuedMegapixelsPerUser }
            .ShouldContain(expected);
    }

    [Theory]
    [InlineData("EXPORT_MAX_IMAGE_MEGAPIXELS", "0")]
    [InlineData("EXPORT_MAX_IMAGE_MEGAPIXELS", "65")] // past what the renderer draws
    [InlineData("EXPORT_MAX_BATCH_MEGAPIXELS", "lots")]
    [InlineData("EXPORT_MAX_QUEUED_PER_USER", "-1")]
    [InlineData("EXPORT_MAX_QUEUED_MEGAPIXELS_PER_USER", "2.5")]
    public void a_bad_limit_stops_start_up_naming_the_variable(string key, string value) =>
        Should.Throw<InvalidConfigurationException>(() => Load(key, value)).Variable.ShouldBe(key);
}
