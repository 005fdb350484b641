using ChartCraft.Features.Messages;
using ChartCraft.Features.Webhooks;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChartCraft.Tests.Webhooks;

[Collection(LocalWebhooksCollection.Name)]
public sealed class WebhookDeliveryRetentionTests(LocalWebhooksFixture app)
{
    [Fact]
    public async Task finished_deliveries_older_than_the_retention_leave_the_log_and_one_still_retrying_stays()
    {
        var user = await app.RegisterAsync();
        var webhook = await app.CreateWebhookOkAsync(user, "http://127.0.0.1:9/hook", WebhookEventTypes.ChartCreated);
        var webhookId = Guid.Parse(webhook["webhook_id"]!.GetValue<string>());
        var now = DateTimeOffset.UtcNow;
        WebhookDelivery Delivery(string status, TimeSpan age) => new()
        {
            Id = Guid.NewGuid(), SubscriptionId = webhookId, UserId = user.Id, EventType = WebhookEventTypes.ChartCreated,
            Body = "{}", Status = status, CreatedAt = now - age,
        };
        var oldSuccess = Delivery(DeliveryStatuses.Succeeded, TimeSpan.FromDays(31));
        var oldGaveUp = Delivery(DeliveryStatuses.GaveUp, TimeSpan.FromDays(45));
        var oldStillRetrying = Delivery(DeliveryStatuses.Failed, TimeSpan.FromDays(40));
        var recentSuccess = Delivery(DeliveryStatuses.Succeeded, TimeSpan.FromDays(29));
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(oldSuccess, oldGaveUp, oldStillRetrying, recentSuccess);
            await session.SaveChangesAsync();
        }

        var removed = await app.Host.Services.GetRequiredService<WebhookDeliveryRetention>().PruneAsync(CancellationToken.None);

        removed.ShouldBe(2);
        var log = (await app.DeliveriesAsync(user, webhookId.ToString()))["items"]!.AsArray()
            .Select(d => Guid.Parse(d!["delivery_id"]!.GetValue<string>()));
        log.ShouldBe([recentSuccess.Id, oldStillRetrying.Id], ignoreOrder: true);
        (await app.Host.Services.GetRequiredService<WebhookDeliveryRetention>().PruneAsync(CancellationToken.None)).ShouldBe(0);
    }
}
