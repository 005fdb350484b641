using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Plotly.NET;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>Image formats plotly.js's <c>Plotly.toImage</c> produces.</summary>
public enum ImageFormat
{
    Png,
    Svg,
    Jpeg,
}

/// <summary>What the renderer is doing now, for metrics and tests.</summary>
public sealed record RenderingStats(
    int? BrowserProcessId, int BrowserLaunches, int IdlePages, int BusyRenders, int PeakBusyRenders, int WaitingRenders,
    long CompletedRenders);

/// <summary>
/// One long-lived headless Chromium with a pool of pages that each loaded plotly.js once: renders Plotly.NET
/// figures to PNG, SVG or JPEG and prints HTML to PDF. At most <see cref="RenderingOptions.PoolSize"/> renders run
/// at once; others wait up to <see cref="RenderingOptions.QueueTimeout"/>, served round-robin by user
/// (<see cref="FairRenderScheduler"/>). A page that hangs is discarded, and a
/// browser that crashed or disconnected is relaunched on the next render.
/// </summary>
/// <remarks>
/// Why not Plotly.NET.ImageExport's own renderer: it launches a new Chromium per image (≈ 3.5–4 s); a warm page
/// renders in ≈ 0.1–0.4 s. Opening a page costs ≈ 3 s (parsing 3.6 MB of plotly.js), so pages are reused.
/// </remarks>
public sealed class ChromiumRenderer : IAsyncDisposable
{
    /// <summary>The plotly.js that Plotly.NET itself was built against, so figure JSON and library agree.</summary>
    static readonly Lazy<string> PlotlyJs = new(() =>
    {
        var name = $"Plotly.NET.plotly-{Globals.PLOTLYJS_VERSION}.min.js";
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Plotly.NET.dll has no embedded resource '{name}'.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>The plotly.js version that draws every figure.</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>imageDataOnly: raw SVG markup or raw base64, not a data: URL to unwrap.</summary>
    const string ToImageFunction =
        "(figure, format, width, height, scale) => Plotly.toImage(JSON.parse(figure), " +
        "{ format, width, height, scale, imageDataOnly: true })";

    static readonly PdfOptions A4 = new()
    {
        Format = PaperFormat.A4,
        PrintBackground = true,
        DisplayHeaderFooter = true,
        // Chromium fills class="title" with the document's <title>, pageNumber and totalPages per page.
        HeaderTemplate =
            "<div style=\"font-size:8pt;color:#6b7280;width:100%;padding:0 14mm;font-family:Helvetica,Arial,sans-serif\">" +
            "<span class=\"title\"></span></div>",
        FooterTemplate =
            "<div style=\"font-size:8pt;color:#6b7280;width:100%;text-align:center;font-family:Helvetica,Arial,sans-serif\">" +
            "Page <span class=\"pageNumber\"></span> of <span class=\"totalPages\"></span></div>",
        MarginOptions = new MarginOptions { Top = "18mm", Bottom = "16mm", Left = "14mm", Right = "14mm" },
    };

    readonly RenderingOptions _options;
    readonly ILogger _logger;
    readonly FairRenderScheduler _slots;
    readonly ChromiumBrowser _browser;
    readonly ConcurrentBag<PooledPage> _idle = [];
    int _busy, _peakBusy, _waiting;
    long _completed;
    volatile bool _disposed;

    public ChromiumRenderer(RenderingOptions options, ILogger<ChromiumRenderer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger<ChromiumRenderer>.Instance;
        _slots = new FairRenderScheduler(options.PoolSize, options.BackgroundHoldOff);
        _browser = new ChromiumBrowser(options, _logger);
    }

    public RenderingOptions Options => _options;

    public RenderingStats Stats => new(
        _browser.ProcessId, _browser.Launches, _idle.Count, Volatile.Read(ref _busy),
        Volatile.Read(ref _peakBusy), Volatile.Read(ref _waiting), Interlocked.Read(ref _completed));

    /// <summary>
    /// Scale for a print resolution: CSS pixels are 1/96 inch, so an image of width × height at <paramref name="dpi"/>
    /// has (width × dpi / 96) × (height × dpi / 96) pixels — 800 × 600 at 192 dpi is 1600 × 1200.
    /// </summary>
    public static double ScaleForDpi(int dpi) =>
        dpi > 0 ? dpi / 96.0 : throw new ArgumentOutOfRangeException(nameof(dpi), dpi, "dpi must be positive.");

    /// <summary>Launches Chromium and opens every pool page now rather than on the first renders.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        var warming = Enumerable.Range(0, _options.PoolSize).Select(_ => WithPlotlyPageAsync(
            _ => Task.FromResult(true), "warm-up", _options.RenderTimeout, cancellationToken));
        await Task.WhenAll(warming);
    }

    /// <summary>
    /// Renders a figure with plotly.js. PNG and JPEG have (width × scale) × (height × scale) pixels; use
    /// <see cref="ScaleForDpi"/> for a print resolution. SVG is vector: scale only multiplies its width/height
    /// attributes (the viewBox stays width × height), so pass 1.
    /// </summary>
    public Task<byte[]> RenderAsync(GenericChart chart, ImageFormat format, int width, int height, double scale,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return RenderAsync(GenericChart.toJson(chart), format, width, height, scale, cancellationToken);
    }

    /// <summary>The same, for a figure already serialized (<c>GenericChart.toJson</c>), so a caller that needed the JSON does not make it twice.</summary>
    public async Task<byte[]> RenderAsync(string figureJson, ImageFormat format, int width, int height, double scale,
        CancellationToken cancellationToken = default)
    {
        var data = await ToImageAsync(figureJson, format, width, height, scale, cancellationToken);
        return format == ImageFormat.Svg ? Encoding.UTF8.GetBytes(data) : Convert.FromBase64String(data);
    }

    /// <summary>The figure as SVG markup (UTF-8 text), e.g. to inline in an HTML report.</summary>
    public Task<string> RenderSvgAsync(GenericChart chart, int width, int height, CancellationToken cancellationToken = default) =>
        ToImageAsync(GenericChart.toJson(chart ?? throw new ArgumentNullException(nameof(chart))), ImageFormat.Svg, width, height, 1,
            cancellationToken);

    /// <summary>Raw SVG markup, or base64 for PNG and JPEG.</summary>
    Task<string> ToImageAsync(string figure, ImageFormat format, int width, int height, double scale,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(figure);
        CheckImageSize(width, height, scale);
        var formatName = format switch
        {
            ImageFormat.Png => "png",
            ImageFormat.Svg => "svg",
            ImageFormat.Jpeg => "jpeg",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
        return WithPlotlyPageAsync(
            page => page.EvaluateFunctionAsync<string>(ToImageFunction, figure, formatName, width, height, scale),
            $"{formatName} render", _options.RenderTimeout, cancellationToken);
    }

    /// <summary>
    /// Prints HTML to an A4 PDF with backgrounds, the document title as page header and "Page X of Y" as footer.
    /// The HTML is loaded with JavaScript disabled: a report is static markup and must not run anything.
    /// </summary>
    public async Task<byte[]> PrintPdfAsync(string html, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        await EnterAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var browser = await _browser.GetAsync(cancellationToken);
                IPage? page = null;
                var print = Print();
                try
                {
                    return await print.WaitAsync(_options.PdfTimeout, cancellationToken);
                }
                catch (Exception e)
                {
                    ObserveAbandoned(print);
                    var closed = page is null || await _browser.ClosePageAsync(page);
                    if (e is TimeoutException && !cancellationToken.IsCancellationRequested)
                    {
                        if (!closed && browser.Browser.IsConnected) await _browser.RetireAsync(browser);
                        throw new RenderTimeoutException("PDF print", _options.PdfTimeout);
                    }
                    if (attempt == 1 && ChromiumBrowser.IsGone(browser, e, cancellationToken))
                    {
                        _logger.LogWarning(e, "Chromium went away during a PDF print; relaunching and retrying once");
                        await _browser.RetireAsync(browser);
                        continue;
                    }
                    throw;
                }

                async Task<byte[]> Print()
                {
                    page = await browser.Browser.NewPageAsync();
                    await page.SetJavaScriptEnabledAsync(false);
                    await page.SetContentAsync(html);
                    var pdf = await page.PdfDataAsync(A4);
                    await _browser.ClosePageAsync(page);
                    return pdf;
                }
            }
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled page that holds plotly.js. The page goes back to the pool unless
    /// the work timed out, was cancelled or broke the page; then the page is closed and later replaced.
    /// A browser that went away is relaunched and the work retried once.
    /// </summary>
    internal async Task<T> WithPlotlyPageAsync<T>(Func<IPage, Task<T>> work, string what, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await LeasePageAsync(attempt, cancellationToken) is not { } lease) continue;
                var running = work(lease.Page);
                try
                {
                    var result = await running.WaitAsync(timeout, cancellationToken);
                    _idle.Add(lease);
                    Interlocked.Increment(ref _completed);
                    return result;
                }
                catch (EvaluationFailedException) when (lease.Owner.Browser.IsConnected && !lease.Page.IsClosed)
                {
                    // A script error (e.g. plotly rejecting a figure) leaves the page as it was.
                    _idle.Add(lease);
                    throw;
                }
                catch (Exception e)
                {
                    ObserveAbandoned(running);
                    var closed = await _browser.ClosePageAsync(lease.Page);
                    if (e is TimeoutException && !cancellationToken.IsCancellationRequested)
                    {
                        _logger.LogWarning("The {What} did not finish within {Timeout}; page replaced", what, timeout);
                        if (!closed && lease.Owner.Browser.IsConnected) await _browser.RetireAsync(lease.Owner);
                        throw new RenderTimeoutException(what, timeout);
                    }
                    if (attempt == 1 && ChromiumBrowser.IsGone(lease.Owner, e, cancellationToken))
                    {
                        _logger.LogWarning(e, "Chromium went away during a {What}; relaunching and retrying once", what);
                        // Right after a crash the connection may still look open, and other pooled pages of the dead
                        // browser wait in the pool: retire it so the retry launches a new one.
                        await _browser.RetireAsync(lease.Owner);
                        continue;
                    }
                    throw;
                }
            }
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>A pooled page of the running browser; null when the first attempt found the browser gone or wedged (it is retired: retry).</summary>
    async Task<PooledPage?> LeasePageAsync(int attempt, CancellationToken cancellationToken)
    {
        BrowserInstance? browser = null;
        try
        {
            browser = await _browser.GetAsync(cancellationToken);
            return await AcquirePageAsync(browser, cancellationToken);
        }
        catch (TimeoutException) when (browser is not null && !cancellationToken.IsCancellationRequested)
        {
            // Opening a page takes ≈ 3 s; one that takes StartTimeout means the browser is wedged.
            await _browser.RetireAsync(browser);
            if (attempt == 1) return null;
            throw new RenderTimeoutException("page start", _options.StartTimeout);
        }
        catch (Exception e) when (attempt == 1 && browser is not null && ChromiumBrowser.IsGone(browser, e, cancellationToken))
        {
            _logger.LogWarning(e, "Chromium went away while opening a page; relaunching");
            // Right after a crash the connection may still look open: retire it, or the retry gets it back.
            await _browser.RetireAsync(browser);
            return null;
        }
    }

    /// <summary>Pages currently open in the browser (pooled and in use), for tests.</summary>
    internal Task<int> CountOpenPagesAsync() => _browser.CountOpenPagesAsync();

    void CheckImageSize(int width, int height, double scale)
    {
        // The API limits sizes to 100–4000 px and 72–600 dpi; this only stops values no browser can draw.
        if (width is < 1 or > 20_000)
            throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be 1–20000 CSS pixels.");
        if (height is < 1 or > 20_000)
            throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be 1–20000 CSS pixels.");
        if (!double.IsFinite(scale) || scale is <= 0 or > 20)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "Scale must be above 0 and at most 20.");
        var pixels = Math.Round(width * scale) * Math.Round(height * scale);
        if (pixels > _options.MaxImagePixels)
            throw new Infrastructure.Errors.ProblemException(422, "The image is too large",
                $"{width}×{height} at scale {scale:0.##} is {Math.Round(width * scale)}×{Math.Round(height * scale)} pixels; " +
                $"the limit is {_options.MaxImagePixels / 1_000_000.0:0.#} megapixels. Lower the size or the dpi.");
    }

    async Task EnterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _waiting);
        bool entered;
        try
        {
            // Not first come, first served: users take turns (FairRenderScheduler.OnBehalfOf says whose render this is).
            entered = await _slots.EnterAsync(FairRenderScheduler.CurrentOwner, _options.QueueTimeout, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        if (!entered) throw new RenderingBusyException(_options.PoolSize, _options.QueueTimeout);

        var busy = Interlocked.Increment(ref _busy);
        int peak;
        while (busy > (peak = Volatile.Read(ref _peakBusy)) && Interlocked.CompareExchange(ref _peakBusy, busy, peak) != peak)
        {
        }
    }

    void Leave()
    {
        Interlocked.Decrement(ref _busy);
        _slots.Release();
    }

    async Task<PooledPage> AcquirePageAsync(BrowserInstance browser, CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var pooled))
        {
            if (pooled.Owner == browser && !pooled.Page.IsClosed) return pooled;
            await _browser.ClosePageAsync(pooled.Page);
        }

        var opening = OpenPlotlyPageAsync(browser.Browser);
        try
        {
            return new PooledPage(browser, await opening.WaitAsync(_options.StartTimeout, cancellationToken));
        }
        catch (Exception)
        {
            ObserveAbandoned(opening);
            _ = opening.ContinueWith(t => _browser.ClosePageAsync(t.Result), TaskContinuationOptions.OnlyOnRanToCompletion);
            throw;
        }
    }

    static async Task<IPage> OpenPlotlyPageAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync();
        try
        {
            await page.AddScriptTagAsync(new AddTagOptions { Content = PlotlyJs.Value });
            return page;
        }
        catch (Exception)
        {
            await page.CloseAsync();
            throw;
        }
    }

    /// <summary>A task we stopped waiting for still fails later (page closed); observe it so it is not reported as unobserved.</summary>
    static void ObserveAbandoned(Task task) =>
        task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _browser.DisposeAsync();
        _idle.Clear();
    }

    sealed record PooledPage(BrowserInstance Owner, IPage Page);
}
