using ChartCraft.Features.Export;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Newsletter.Publishing;
using ChartCraft.Features.Webhooks;
using Wolverine.Util;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// Wolverine stores a queued or scheduled message under its type's name. A message that moved to another namespace
/// must keep the name it had, or messages pending at a deploy (a webhook retry, a data source's cleanup) would find
/// no handler after it.
/// </summary>
public sealed class MessageIdentityTests
{
    [Theory]
    [InlineData(typeof(WebhookEvent), "ChartCraft.Features.Newsletter.WebhookEvent")]
    [InlineData(typeof(DeliverWebhook), "ChartCraft.Features.Newsletter.Webhooks.DeliverWebhook")]
    [InlineData(typeof(DataSourceDeleted), "ChartCraft.Features.Upload.DataSourceDeleted")]
    [InlineData(typeof(ChartRemoved), "ChartCraft.Features.Charts.ChartRemoved")]
    [InlineData(typeof(ChartRevised), "ChartCraft.Features.Messages.ChartRevised")]
    [InlineData(typeof(RunExport), "ChartCraft.Features.Export.RunExport")]
    [InlineData(typeof(PublishChartToNewsletter), "ChartCraft.Features.Newsletter.Publishing.PublishChartToNewsletter")]
    [InlineData(typeof(ChartCraft.Infrastructure.Mail.SendEmail), "ChartCraft.Infrastructure.Mail.SendEmail")]
    [InlineData(typeof(ChartCraft.Features.Auth.SendVerificationMail), "ChartCraft.Features.Auth.SendVerificationMail")]
    [InlineData(typeof(ChartCraft.Features.Auth.SendPasswordResetMail), "ChartCraft.Features.Auth.SendPasswordResetMail")]
    public void a_durable_message_keeps_the_name_it_is_stored_under(Type message, string storedName) =>
        message.ToMessageTypeName().ShouldBe(storedName);
}
