using ChartCraft.Features.Auth;
using ChartCraft.Features.Export;
using ChartCraft.Infrastructure.Storage;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using Wolverine.Runtime.Handlers;

namespace ChartCraft.Features.Account;

/// <summary>
/// POST /api/account/export: 202 with a queued export of format <c>account_zip</c>; a durable message builds the zip,
/// and GET /api/export/{export_id} gives its download link like any other export's (same job, status and expiry).
/// Asking again while one is queued or running answers that one instead of building a second.
/// </summary>
public sealed class ExportAccountEndpoint(IDocumentStore store, IMartenOutbox outbox, ExportResponses responses, TimeProvider clock)
    : EndpointWithoutRequest<ExportResponse>
{
    public override void Configure()
    {
        Post("/account/export");
        Description(d => d.WithTags("Account").Produces<ExportResponse>(202).ProducesProblems(401), clearDefaults: true);
        Summary(s => s.Summary = "Queue a zip of everything the account owns (poll GET /api/export/{export_id})");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var userId = User.UserId();
        await using var session = store.OpenOutboxSession(outbox);
        var pending = await session.Query<ExportJob>()
            .Where(j => j.UserId == userId && j.Format == ExportFormats.AccountZip
                        && (j.Status == ExportStatuses.Queued || j.Status == ExportStatuses.Running))
            .OrderByDescending(j => j.CreatedAt).FirstOrDefaultAsync(ct);
        if (pending is null)
        {
            pending = new ExportJob
            {
                Id = Guid.CreateVersion7(), UserId = userId, Format = ExportFormats.AccountZip, ChartIds = [], CreatedAt = clock.GetUtcNow(),
            };
            session.Store(pending);
            await outbox.PublishAsync(new BuildAccountArchive(pending.Id));
            await session.SaveChangesAsync(ct);
        }
        await Send.ResponseAsync(await responses.ToResponseAsync(pending, ct), 202, ct);
    }
}

/// <summary>Durable message: build the zip of account export <paramref name="ExportId"/>.</summary>
public sealed record BuildAccountArchive(Guid ExportId);

/// <summary>
/// Builds the zip into a temporary file, stores it under <c>exports/{user}/account/{export}.zip</c> (so the file
/// lifecycle expires it after EXPORT_RETENTION_HOURS, like every export) and completes the job. A failure is retried;
/// the last attempt marks the job failed. Running twice stores the same zip again: the job is completed once. An account
/// deleted meanwhile gets no zip: the job and the file are removed instead.
/// </summary>
public static class BuildAccountArchiveHandler
{
    public static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1)];

    public static void Configure(HandlerChain chain) => chain.OnAnyException().ScheduleRetry(RetryDelays);

    public static async Task Handle(BuildAccountArchive message, Envelope envelope, IDocumentSession session, IMessageContext bus,
        IDocumentStore store, AccountArchiveWriter writer, IBlobStorage storage, ExportSettings settings, TimeProvider clock,
        ILogger<BuildAccountArchive> logger, CancellationToken ct)
    {
        var job = await session.LoadAsync<ExportJob>(message.ExportId, ct);
        if (job is null || job.Status is ExportStatuses.Completed or ExportStatuses.Failed) return; // done, or the account is gone
        job.Status = ExportStatuses.Running;
        job.StartedAt ??= clock.GetUtcNow();
        job.Attempts = envelope.Attempts;
        await store.SaveProgressAsync(job, ct);
        try
        {
            var key = $"exports/{job.UserId:N}/account/{job.Id:N}.zip";
            await using (var zip = TemporaryFile())
            {
                await writer.WriteAsync(session, job.UserId, zip, clock.GetUtcNow(), ct);
                zip.Position = 0;
                await storage.PutAsync(key, zip, ExportFormats.ContentType(ExportFormats.AccountZip), ct);
                job.SizeBytes = zip.Length;
            }
            if (await session.LoadAsync<User>(job.UserId, ct) is not { IsActive: true })
            {
                // The account is being deleted, and its deletion may have run while this was written: keep nothing.
                await storage.DeleteAsync(key, ct);
                session.Delete<ExportJob>(job.Id);
                return;
            }
            var now = clock.GetUtcNow();
            (job.StorageKey, job.FileName) = (key, $"chartcraft-account-{now:yyyy-MM-dd}.zip");
            (job.Status, job.CompletedAt, job.FilesExpireAt, job.Error) = (ExportStatuses.Completed, now, now.Add(settings.Retention), null);
            session.Store(job);
            await bus.PublishAsync(ExportEvents.Completed(job));
        }
        catch (Exception ex) when (envelope.Attempts > RetryDelays.Length)
        {
            logger.LogWarning(ex, "Account export {ExportId} failed after {Attempts} attempt(s)", job.Id, envelope.Attempts);
            (job.Status, job.CompletedAt) = (ExportStatuses.Failed, clock.GetUtcNow());
            job.Error = $"The account export failed after {envelope.Attempts} attempts.";
            session.Store(job);
            await bus.PublishAsync(ExportEvents.Failed(job));
        }
    }

    /// <summary>On disk, not in memory: an account's files may be large. Deleted when closed, whatever happens.</summary>
    static FileStream TemporaryFile() => new(Path.Combine(Path.GetTempPath(), $"chartcraft-account-{Guid.NewGuid():N}.zip"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
