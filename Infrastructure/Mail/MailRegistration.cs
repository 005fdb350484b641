using JasperFx;
using JasperFx.CodeGeneration;
using MailKit.Net.Smtp;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ChartCraft.Infrastructure.Mail;

/// <summary>
/// A mail server that is down delays mail, never loses it: every <see cref="IMailMessage"/> that fails is scheduled
/// again (durably, in PostgreSQL) after each of MAIL_RETRY_DELAYS_SECONDS, then at the last delay until it goes
/// through. Only a refusal that no retry can change (the server rejects the recipient or the message for good, a 5xx
/// answer) ends it, in Wolverine's dead letters.
/// </summary>
public sealed class MailRetryPolicy(IReadOnlyList<TimeSpan> delays) : IHandlerPolicy
{
    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => typeof(IMailMessage).IsAssignableFrom(c.MessageType)))
        {
            chain.OnException(IsPermanent).MoveToErrorQueue();
            chain.OnAnyException().ScheduleRetryIndefinitely([.. delays]);
        }
    }

    /// <summary>The server refused this recipient or this message with a permanent (5xx) answer.</summary>
    public static bool IsPermanent(Exception ex) =>
        ex is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted } refused
        && (int)refused.StatusCode >= 500;
}

public static class MailRegistration
{
    public static IServiceCollection AddChartCraftMail(this IServiceCollection services, IConfiguration config)
    {
        var settings = MailSettings.Load(config);
        services.AddSingleton(settings);
        if (settings.Smtp is not null) services.AddSingleton<IMailSender, SmtpMailSender>();
        else services.AddSingleton<IMailSender, DropFolderMailSender>();
        services.ConfigureWolverine(opts => opts.Policies.Add(new MailRetryPolicy(settings.RetryDelays)));
        return services;
    }
}
