using PuppeteerSharp;

namespace ChartCraft.Features.Export.Rendering;

/// <summary>One launched Chromium: its connection, its own profile directory and its process id.</summary>
sealed record BrowserInstance(IBrowser Browser, string ProfileDirectory, int? ProcessId);

/// <summary>
/// The lifecycle of <see cref="ChromiumRenderer"/>'s one headless Chromium: launched on first use with a fresh profile,
/// relaunched when it crashed or disconnected, retired (closed, killed if need be) when it stops answering, and closed
/// with its profiles on dispose.
/// </summary>
sealed class ChromiumBrowser(RenderingOptions options, ILogger logger) : IAsyncDisposable
{
    /// <summary>Flags for a container or CI machine running as root without a GPU or /dev/shm space.</summary>
    static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    /// <summary>
    /// Closing a page or the browser takes milliseconds; past this bound the browser is taken as wedged (and is
    /// killed), so it cannot hold up renders or shutdown.
    /// </summary>
    static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    readonly SemaphoreSlim _launchLock = new(1, 1);
    readonly Lazy<string> _profileRoot = new(() => Directory.CreateTempSubdirectory("chartcraft-chromium-").FullName);
    BrowserInstance? _current;
    int _launches;
    volatile bool _disposed;

    /// <summary>The running browser's process id, if one is running.</summary>
    public int? ProcessId => _current?.ProcessId;

    public int Launches => Volatile.Read(ref _launches);

    /// <summary>Pages currently open in the browser (pooled and in use), for tests.</summary>
    public async Task<int> CountOpenPagesAsync() =>
        _current is { Browser.IsConnected: true } b ? (await b.Browser.PagesAsync()).Length : 0;

    /// <summary>The connected browser, launching one first if there is none or the last one went away.</summary>
    public async Task<BrowserInstance> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { Browser.IsConnected: true } current) return current;
        await _launchLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { Browser.IsConnected: true } launched) return launched;
            if (_current is { } gone)
            {
                logger.LogWarning("Chromium (pid {Pid}) is no longer connected; relaunching", gone.ProcessId);
                await CloseAsync(gone);
            }
            _current = await LaunchAsync(cancellationToken);
            return _current;
        }
        finally
        {
            _launchLock.Release();
        }
    }

    /// <summary>Closes a browser that no longer answers so the next render launches a fresh one.</summary>
    public async Task RetireAsync(BrowserInstance instance)
    {
        await _launchLock.WaitAsync();
        try
        {
            if (!ReferenceEquals(_current, instance)) return;
            logger.LogWarning("Chromium (pid {Pid}) stopped answering; closing it", instance.ProcessId);
            await CloseAsync(instance);
            _current = null;
        }
        finally
        {
            _launchLock.Release();
        }
    }

    /// <summary>Closes a page; false when the browser did not answer (it is then wedged or gone).</summary>
    public async Task<bool> ClosePageAsync(IPage page)
    {
        if (page.IsClosed) return true;
        try
        {
            await page.CloseAsync().WaitAsync(CloseTimeout);
            return true;
        }
        catch (Exception e) when (e is PuppeteerException or TimeoutException)
        {
            // A page of a dead browser cannot be closed, and needs not be.
            logger.LogDebug(e, "Closing a render page failed");
            return false;
        }
    }

    /// <summary>True when the failure came from Chromium going away (crash, kill, disconnect), not from the work.</summary>
    public static bool IsGone(BrowserInstance browser, Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && (!browser.Browser.IsConnected || e is TargetClosedException || e is PuppeteerException && e is not EvaluationFailedException);

    async Task<BrowserInstance> LaunchAsync(CancellationToken cancellationToken)
    {
        var path = options.ChromiumPath;
        if (!File.Exists(path))
            throw new ChromiumUnavailableException(
                $"Chromium was not found at '{path}'. Install the chromium package or set the renderer's ChromiumPath.");

        // A fresh profile per launch: a killed browser leaves its profile locked.
        var profile = Path.Combine(_profileRoot.Value, $"profile-{Interlocked.Increment(ref _launches)}");
        var launchOptions = new LaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            UserDataDir = profile,
            Args = ChromiumArgs,
            Timeout = (int)options.StartTimeout.TotalMilliseconds,
            // Our own timeouts come first; this only lets PuppeteerSharp drop calls we gave up on.
            ProtocolTimeout = (int)(new[] { options.RenderTimeout, options.PdfTimeout, options.StartTimeout }.Max() * 2).TotalMilliseconds,
        };
        if (options.Niceness > 0) RenderPriority.KeepChildrenFromRaisingPriority();
        IBrowser browser;
        try
        {
            browser = await Puppeteer.LaunchAsync(launchOptions).WaitAsync(options.StartTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ChromiumUnavailableException($"Chromium at '{path}' did not start: {e.Message}", e);
        }

        var instance = new BrowserInstance(browser, profile, browser.Process?.Id);
        var lowered = instance.ProcessId is { } pid ? RenderPriority.Lower(pid, options.Niceness) : 0;
        browser.Disconnected += (_, _) =>
        {
            if (!_disposed) logger.LogWarning("Chromium (pid {Pid}) disconnected", instance.ProcessId);
        };
        // The tab Chromium opens at start-up is not a pool page; close it so open pages = pool pages.
        foreach (var page in await browser.PagesAsync()) await ClosePageAsync(page);
        logger.LogInformation("Chromium started (pid {Pid}, profile {Profile}, {Threads} threads at nice {Niceness})",
            instance.ProcessId, profile, lowered, options.Niceness);
        return instance;
    }

    async Task CloseAsync(BrowserInstance instance)
    {
        try
        {
            if (instance.Browser.IsConnected) await instance.Browser.CloseAsync().WaitAsync(CloseTimeout);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Closing Chromium (pid {Pid}) failed; killing it", instance.ProcessId);
        }
        try
        {
            if (instance.Browser.Process is { HasExited: false } process) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException e)
        {
            // The process exited between the check and the kill.
            logger.LogDebug(e, "Chromium (pid {Pid}) had already exited", instance.ProcessId);
        }
        instance.Browser.Dispose();
        DeleteDirectory(instance.ProfileDirectory);
    }

    void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete the Chromium profile {Path}", path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _launchLock.WaitAsync();
        try
        {
            if (_current is { } instance) await CloseAsync(instance);
            _current = null;
        }
        finally
        {
            _launchLock.Release();
        }
        if (_profileRoot.IsValueCreated) DeleteDirectory(_profileRoot.Value);
    }
}
