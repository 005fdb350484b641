using System.Globalization;
using ChartCraft.Features.Export.Rendering;

namespace ChartCraft.Features.Export;

/// <summary>What an export costs the renderer, in megapixels: render time and memory grow with the pixels drawn.</summary>
public static class ExportCost
{
    /// <summary>
    /// A PNG is width × height × (dpi / 96)² pixels. An SVG is vector: dpi only scales its width/height attributes, so it
    /// costs its CSS size.
    /// </summary>
    public static double Megapixels(string format, int width, int height, int dpi) => format == ExportFormats.Svg
        ? width * (double)height / 1e6
        : width * (double)height * (dpi / 96.0) * (dpi / 96.0) / 1e6;

    /// <summary>A report draws each chart as a 900 × 500 SVG.</summary>
    public static double ReportMegapixels(int charts) => charts * PdfReportRenderer.ChartWidth * (double)PdfReportRenderer.ChartHeight / 1e6;

    /// <summary>
    /// The problem with an image over EXPORT_MAX_IMAGE_MEGAPIXELS as (field, message), or null when it fits. The field is
    /// <c>dpi</c> when the dpi scales the size up (lowering it is the usual fix), else <c>width</c>.
    /// </summary>
    public static (string Field, string Message)? TooLarge(string format, int width, int height, int dpi, int maxMegapixels)
    {
        var megapixels = Megapixels(format, width, height, dpi);
        if (megapixels <= maxMegapixels) return null;
        var scale = dpi / 96.0;
        var message = string.Format(CultureInfo.InvariantCulture,
            "{0}×{1} at {2} dpi is {3}×{4} pixels ({5:0.#} megapixels); at most {6} megapixels per image: lower the dpi or the size",
            width, height, dpi, Math.Round(width * scale), Math.Round(height * scale), megapixels, maxMegapixels);
        return (dpi > 96 ? "dpi" : "width", message);
    }
}

/// <summary>
/// How much one user may have queued or running: EXPORT_MAX_QUEUED_PER_USER exports and EXPORT_MAX_QUEUED_MEGAPIXELS_PER_USER.
/// Counted from the export jobs in the database, not from this process, because several instances share the work.
/// This is backpressure that protects the renderer (how much may wait at once, whatever the plan), not the plan's
/// exports_per_day (Features/Plans, how many are accepted per day): it is checked first, and a request it refuses
/// spends no daily export.
/// </summary>
public static class ExportQuota
{
    /// <summary>Long enough for a few renders to finish, short enough that a client retrying does not wait in vain.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// 429 (with Retry-After) when adding <paramref name="exports"/> exports of <paramref name="megapixels"/> would take the
    /// user past a limit. With <paramref name="holdUntilCommit"/> the check takes a per-user lock held until the session
    /// commits, so two requests of one user (to any instance) cannot both pass on the same free room.
    /// </summary>
    public static async Task EnsureRoomAsync(IDocumentSession session, Guid userId, int exports, double megapixels, ExportLimits limits,
        bool holdUntilCommit, CancellationToken ct)
    {
        if (holdUntilCommit)
        {
            await session.BeginTransactionAsync(ct);
            await using var lockUser = session.Connection!.CreateCommand();
            lockUser.CommandText = "select pg_advisory_xact_lock(hashtext('chartcraft-export-quota:' || @user))";
            lockUser.Parameters.AddWithValue("user", userId.ToString("N"));
            await lockUser.ExecuteNonQueryAsync(ct);
        }
        var queued = await session.Query<ExportJob>()
            .Where(j => j.UserId == userId && (j.Status == ExportStatuses.Queued || j.Status == ExportStatuses.Running))
            .Select(j => j.Megapixels)
            .ToListAsync(ct);
        if (queued.Count + exports > limits.MaxQueuedPerUser)
            throw Refused($"You have {queued.Count} exports queued or running; at most {limits.MaxQueuedPerUser} may wait at once.");
        var waiting = queued.Sum();
        if (waiting + megapixels > limits.MaxQueuedMegapixelsPerUser)
            throw Refused(string.Format(CultureInfo.InvariantCulture,
                "You have {0:0.#} megapixels of exports queued or running and ask for {1:0.#} more; at most {2} megapixels may wait at once.",
                waiting, megapixels, limits.MaxQueuedMegapixelsPerUser));
    }

    static ProblemException Refused(string detail) =>
        new(429, "Too many exports queued", detail + " Retry when some have finished.") { RetryAfter = RetryAfter };
}
