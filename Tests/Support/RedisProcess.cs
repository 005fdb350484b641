using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChartCraft.Tests.Support;

/// <summary>
/// A private redis-server on a free loopback port, so a test can stop Redis without disturbing the
/// Redis every other test shares.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    Process? _process;
    public int Port { get; } = FreePort();
    public string Url => $"redis://127.0.0.1:{Port}/0";

    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess();
        redis._process = Process.Start(new ProcessStartInfo("redis-server",
            $"--bind 127.0.0.1 --port {redis.Port} --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        for (var i = 0; i < 100; i++)
        {
            if (await CanConnect(redis.Port)) return redis;
            await Task.Delay(50);
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    static async Task<bool> CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    static int FreePort() => TestEnvironment.FreePort();
}
