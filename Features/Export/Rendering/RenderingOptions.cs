namespace ChartCraft.Features.Export.Rendering;

/// <summary>Where Chromium is and how many pages, how long and how big renders may be.</summary>
public sealed class RenderingOptions
{
    /// <summary>The system Chromium; it is never downloaded at run time.</summary>
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>Warm pages holding plotly.js; also the number of renders that run at once (each page ≈ 60–100 MiB).</summary>
    public int PoolSize { get; set; } = 2;

    /// <summary>Launch Chromium and load the pages at start-up instead of on the first render.</summary>
    public bool WarmUpOnStart { get; set; }

    /// <summary>How long one image render may take before its page is thrown away and replaced.</summary>
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a PDF print may take (a long report prints many pages).</summary>
    public TimeSpan PdfTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a request waits for a free page before <see cref="RenderingBusyException"/>.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long background renders (thumbnails) hold off after a user's render last had to wait for a page, so that
    /// under a steady export load they wait for a lull instead of taking a share of Chromium's processor time.
    /// </summary>
    public TimeSpan BackgroundHoldOff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long starting Chromium or opening a page (parsing 3.6 MB of plotly.js ≈ 3 s) may take.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Below the requests (nice 0) so that a read never queues behind a render, but not so far that renders get only
    /// what the requests leave: at 1 000 simulated users on two cores, nice 10 gave the three Chromiums 0.25–0.32 of a
    /// core at the end of the ramp (sign-ups hashing passwords on top of nearly the full load) against the 0.44 that
    /// 9.4 exports a second need, and exports waited past their 30 s; nice 7 doubles their weight (215 against 110 of
    /// the requests' 1 024), and reads still met their targets.
    /// </summary>
    public const int DefaultNiceness = 7;

    /// <summary>Chromium's nice value (0–19; 0 = the app's own priority): renders yield the processor to requests.</summary>
    public int Niceness { get; set; } = DefaultNiceness;

    /// <summary>
    /// Largest image in device pixels (width × scale × height × scale). 64 MP is a 8000 × 8000 PNG, ≈ 256 MiB of
    /// RGBA in the browser while encoding; beyond that Chromium's canvas limits and memory fail first.
    /// </summary>
    public long MaxImagePixels { get; set; } = 64_000_000;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ChromiumPath))
            throw new ArgumentException("ChromiumPath must name the Chromium executable (e.g. /usr/bin/chromium).");
        if (PoolSize is < 1 or > 32)
            throw new ArgumentException($"PoolSize must be between 1 and 32, not {PoolSize}.");
        foreach (var (name, value) in new[]
                 {
                     (nameof(RenderTimeout), RenderTimeout), (nameof(PdfTimeout), PdfTimeout),
                     (nameof(QueueTimeout), QueueTimeout), (nameof(StartTimeout), StartTimeout),
                 })
            if (value <= TimeSpan.Zero)
                throw new ArgumentException($"{name} must be positive, not {value}.");
        if (BackgroundHoldOff < TimeSpan.Zero)
            throw new ArgumentException($"BackgroundHoldOff must not be negative, not {BackgroundHoldOff}.");
        if (Niceness is < 0 or > 19)
            throw new ArgumentException($"Niceness must be between 0 and 19, not {Niceness}.");
        if (MaxImagePixels < 10_000)
            throw new ArgumentException($"MaxImagePixels must be at least 10000, not {MaxImagePixels}.");
    }
}
