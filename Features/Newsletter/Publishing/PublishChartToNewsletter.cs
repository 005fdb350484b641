using ChartCraft.Features.Charts;
using ChartCraft.Features.Export;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Infrastructure.Observability;
using ChartCraft.Infrastructure.Storage;
using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ChartCraft.Features.Newsletter.Publishing;

/// <summary>Durable message: run publish job <paramref name="PublishId"/>.</summary>
public sealed record PublishChartToNewsletter(Guid PublishId);

/// <summary>Which failures are worth another attempt, and what the user is told when a job fails.</summary>
public static class PublishFailures
{
    /// <summary>Rate limits, provider outages, timeouts and dropped connections pass; refusals (401, 404, 422) do not.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        ProviderException provider => provider.IsTransient,
        HttpRequestException or TimeoutException => true,
        Npgsql.NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    public static string Reason(Exception ex) => ex switch
    {
        ProviderException provider => provider.Message,
        ProblemException problem => problem.Detail ?? problem.Title,
        TimeoutException => "Rendering the chart took too long; try again later.",
        _ => "An unexpected error stopped the publish (it has been logged).",
    };
}

/// <summary>
/// Wolverine's retry policy for publish jobs: a transient failure (see <see cref="PublishFailures"/>) is tried again
/// after each cooldown of NEWSLETTER_RETRY_COOLDOWNS_SECONDS; the handler ends the job as failed on the last attempt.
/// Registered per host from settings (not a static), so two apps in one process keep their own schedules.
/// </summary>
public sealed class PublishRetryPolicy(IReadOnlyList<TimeSpan> cooldowns) : IHandlerPolicy
{
    public static int MaxAttempts(NewsletterPlatformSettings settings) => settings.PublishRetryCooldowns.Count + 1;

    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        if (cooldowns.Count == 0) return;
        foreach (var chain in chains.Where(c => c.MessageType == typeof(PublishChartToNewsletter)))
            chain.OnException(PublishFailures.IsTransient).RetryWithCooldown(cooldowns.ToArray());
    }
}

/// <summary>
/// Runs a publish job: renders the chart PNG through the export feature, puts it into the campaign or
/// broadcast, records ChartPublished on the chart's stream and announces newsletter.published to webhooks.
/// Transient failures are retried with cooldowns; the last attempt, or a refusal, ends the job as failed
/// with the reason. A 401 also marks the connection as error.
/// </summary>
public static class PublishChartToNewsletterHandler
{
    /// <summary>Email bodies are ~600 px wide; 192 dpi doubles the pixels for sharp high-dpi screens.</summary>
    public static readonly ImageExportOptions ImageOptions = new("png", NewsletterImageBlock.DisplayWidth, 400, 192, "light");

    public static async Task Handle(PublishChartToNewsletter message, Envelope envelope, IDocumentSession session, IMessageContext bus,
        IDocumentStore store, IntegrationAccess access, IChartImageExporter exporter, IBlobStorage storage, NewsletterPublisher publisher,
        NewsletterPlatformSettings settings, PublicUrls urls, TimeProvider clock, ILogger<PublishChartToNewsletter> logger, JobFailures failures,
        CancellationToken ct)
    {
        var maxAttempts = PublishRetryPolicy.MaxAttempts(settings);
        var job = await session.LoadAsync<PublishJob>(message.PublishId, ct);
        if (job is null || job.IsFinished) return;
        await MarkRunningAsync(job, envelope, store, clock, ct);

        var integration = await session.LoadIntegrationAsync(job.UserId, job.Provider, ct);
        if (integration is null || integration.Status == IntegrationStatus.Revoked)
        {
            FailDisconnected(job, integration, session, clock.GetUtcNow());
            return;
        }

        try
        {
            var credentials = await CredentialsAsync(integration, access, store, logger, ct);
            var content = await ContentAsync(job, session, exporter, storage, urls, ct);
            var outcome = await publisher.PublishAsync(job.Provider, credentials, content, job.TargetId ?? job.CreatedDraftId,
                async draftId =>
                {
                    Remember(job, draftId);
                    await store.SaveProgressAsync(job, ct);
                }, ct);

            await CompleteAsync(job, outcome, session, bus, clock.GetUtcNow(), ct);
        }
        catch (Exception ex) when (PublishFailures.IsTransient(ex) && envelope.Attempts < maxAttempts)
        {
            logger.LogWarning("Publish {PublishId} to {Provider}, attempt {Attempt} of {MaxAttempts}, failed and will be retried: {Reason}",
                job.Id, job.Provider, envelope.Attempts, maxAttempts, PublishFailures.Reason(ex));
            throw;
        }
        catch (Exception ex)
        {
            if (ex is ProviderException { IsUnauthorized: true } refused)
            {
                integration.RecordFailure(clock.GetUtcNow(), refused.Reason);
                await IntegrationUpdates.TrySaveAsync(store, integration, logger, ct);
            }
            Fail(job, ex, session, envelope, logger, failures, clock.GetUtcNow());
        }
    }

    /// <summary>Saves the job as running at once, outside the handler's commit, so it is visible while the provider works.</summary>
    static async Task MarkRunningAsync(PublishJob job, Envelope envelope, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        job.Status = PublishStatus.Running;
        job.StartedAt ??= clock.GetUtcNow();
        job.Attempts = envelope.Attempts;
        await store.SaveProgressAsync(job, ct);
    }

    /// <summary>Ends the job without an attempt: there is no connection to publish through.</summary>
    static void FailDisconnected(PublishJob job, Integration? integration, IDocumentSession session, DateTimeOffset now)
    {
        var name = NewsletterProviders.DisplayName(job.Provider);
        job.Fail(integration is null ? $"{name} is not connected." : $"The {name} connection was revoked: connect it again.", now);
        session.Store(job);
    }

    /// <summary>The connection's credentials; when reading them refreshed Kit's tokens, the new tokens are kept.</summary>
    static async Task<IntegrationCredentials> CredentialsAsync(Integration integration, IntegrationAccess access, IDocumentStore store,
        ILogger logger, CancellationToken ct)
    {
        var credentialsBefore = integration.ProtectedCredentials;
        var credentials = await access.CredentialsAsync(integration, ct);
        if (integration.ProtectedCredentials != credentialsBefore)
            await IntegrationUpdates.TrySaveAsync(store, integration, logger, ct);
        return credentials;
    }

    /// <summary>What goes into the newsletter: the job's chart, rendered, with its alt text and link.</summary>
    static async Task<NewsletterChart> ContentAsync(PublishJob job, IDocumentSession session, IChartImageExporter exporter,
        IBlobStorage storage, PublicUrls urls, CancellationToken ct)
    {
        var chart = await session.LoadAsync<Chart>(job.ChartId, ct);
        if (chart is null || chart.UserId != job.UserId) throw Charts.Charts.NotFound(job.ChartId);
        var png = await RenderAsync(exporter, storage, job, ct);
        // The embed page shows public charts only: a private chart's image gets no link rather than a 404 for readers.
        var link = job.LinkUrl ?? (chart.IsPublic ? $"{job.PublicBaseUrl ?? urls.BaseUrl}/embed/{job.ChartId}" : null);
        return new NewsletterChart(job.Id, job.UserId, job.ChartId, chart.Title, job.AltText ?? chart.Title, link, png);
    }

    /// <summary>Records the job as done, on its chart's stream too, and tells the user's webhooks; all in the handler's commit.</summary>
    static async Task CompleteAsync(PublishJob job, PublishOutcome outcome, IDocumentSession session, IMessageContext bus,
        DateTimeOffset now, CancellationToken ct)
    {
        job.Status = PublishStatus.Completed;
        job.Error = null;
        job.CompletedAt = now;
        job.ImageUrl = outcome.ImageUrl;
        job.CampaignId = outcome.CampaignId;
        job.BroadcastId = outcome.BroadcastId;
        session.Store(job);
        await session.AppendAsync(job.ChartId, new ChartPublished(job.Id, job.Provider, outcome.CampaignId ?? outcome.BroadcastId, now), ct);
        await bus.PublishAsync(new WebhookEvent(job.UserId, WebhookEventTypes.NewsletterPublished, new Dictionary<string, object?>
        {
            ["publish_id"] = job.Id,
            ["chart_id"] = job.ChartId,
            ["provider"] = job.Provider,
            ["campaign_id"] = outcome.CampaignId,
            ["broadcast_id"] = outcome.BroadcastId,
            ["image_url"] = outcome.ImageUrl,
        }, now));
    }

    static void Fail(PublishJob job, Exception ex, IDocumentSession session, Envelope envelope, ILogger logger, JobFailures failures,
        DateTimeOffset now)
    {
        if (ex is ProviderException or ProblemException)
            logger.LogWarning("Publish {PublishId} to {Provider} failed: {Reason}", job.Id, job.Provider, PublishFailures.Reason(ex));
        else
            logger.LogError(ex, "Publish {PublishId} to {Provider} failed", job.Id, job.Provider);
        job.Fail(PublishFailures.Reason(ex), now);
        session.Store(job);
        // A provider's refusal is the user's to fix (reconnect, pick another list): reported, but as a warning.
        failures.Report(envelope, "publish_failed", ex, ex is ProviderException or ProblemException ? Sentry.SentryLevel.Warning : Sentry.SentryLevel.Error,
            ("chart_id", job.ChartId.ToString()), ("provider", job.Provider));
    }

    static void Remember(PublishJob job, string draftId)
    {
        if (job.Provider == NewsletterProviders.Mailchimp) job.CampaignId = draftId;
        else job.BroadcastId = draftId;
    }

    static async Task<byte[]> RenderAsync(IChartImageExporter exporter, IBlobStorage storage, PublishJob job, CancellationToken ct)
    {
        var export = await exporter.ExportImageAsync(job.ChartId, job.UserId, ImageOptions, ct);
        await using var stream = await storage.OpenReadAsync(export.StorageKey, ct)
                                 ?? throw new InvalidOperationException($"The export {export.StorageKey} is missing from storage");
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }
}
