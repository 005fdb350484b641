namespace ChartCraft.Features.Export.Rendering;

/// <summary>Registers the chart renderers: one shared Chromium, closed when the container is disposed.</summary>
public static class RenderingRegistration
{
    public static IServiceCollection AddChartRendering(this IServiceCollection services, RenderingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        // Registered by type so the container owns it and disposes it (closing Chromium) on shutdown.
        services.AddSingleton<ChromiumRenderer>();
        services.AddSingleton<PdfReportRenderer>();
        if (options.WarmUpOnStart) services.AddHostedService<ChromiumWarmUp>();
        return services;
    }
}

/// <summary>
/// Starts Chromium and loads the pool pages in the background at start-up, so the first export does not pay
/// ≈ 2 s launch + ≈ 3 s per page. Start-up is not held up; a failure is logged and the first render retries.
/// </summary>
public sealed class ChromiumWarmUp(ChromiumRenderer renderer, ILogger<ChromiumWarmUp> logger) : IHostedService, IDisposable
{
    readonly CancellationTokenSource _stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = WarmUpAsync();
        return Task.CompletedTask;
    }

    async Task WarmUpAsync()
    {
        try
        {
            await renderer.WarmUpAsync(_stopping.Token);
            logger.LogInformation("Chart renderer warm: {Pages} pages", renderer.Options.PoolSize);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            logger.LogDebug("Chart renderer warm-up stopped by shutdown");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Chart renderer warm-up failed; the first render will start Chromium");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();
}
