namespace ChartCraft.Features.Export.Rendering;

/// <summary>Every render page stayed busy for the whole queue timeout; the caller may retry later (HTTP 503).</summary>
public sealed class RenderingBusyException(int poolSize, TimeSpan waited)
    : TimeoutException($"All {poolSize} render pages stayed busy for {waited.TotalSeconds:0.#} s; try again later.");

/// <summary>One render did not finish in time; its page was discarded and will be replaced.</summary>
public sealed class RenderTimeoutException(string what, TimeSpan timeout)
    : TimeoutException($"The {what} did not finish within {timeout.TotalSeconds:0.#} s; its page was replaced.");

/// <summary>Chromium could not be started (missing executable, crash at launch).</summary>
public sealed class ChromiumUnavailableException(string message, Exception? inner = null)
    : InvalidOperationException(message, inner);
