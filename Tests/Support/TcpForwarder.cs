using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ChartCraft.Tests.Support;

/// <summary>
/// A loopback TCP relay in front of a real service, so a test can cut one app's line to it (an outage as the app
/// sees it: open connections drop, new ones are refused) without stopping the service every other test shares.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    readonly IPEndPoint _target;
    readonly ConcurrentDictionary<Socket, byte> _open = new();
    TcpListener? _listener;
    CancellationTokenSource _stop = new();

    public TcpForwarder(string host, int port)
    {
        _target = new IPEndPoint(Dns.GetHostAddresses(host).First(a => a.AddressFamily == AddressFamily.InterNetwork), port);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    public int Port { get; }

    /// <summary>Accepts connections again (after <see cref="Cut"/>); does nothing while already relaying.</summary>
    public void Start()
    {
        if (_listener is not null) return;
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Refuses new connections and drops every open one.</summary>
    public void Cut()
    {
        _stop.Cancel();
        _listener?.Stop();
        _listener = null;
        foreach (var socket in _open.Keys)
        {
            socket.Dispose();
            _open.TryRemove(socket, out _);
        }
    }

    async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }
            _ = RelayAsync(client, ct);
        }
    }

    async Task RelayAsync(Socket client, CancellationToken ct)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(_target, ct);
            await Task.WhenAny(PumpAsync(client, server, ct), PumpAsync(server, client, ct));
        }
        catch (Exception)
        {
            // A cut or either side closing ends the relay.
        }
        finally
        {
            foreach (var socket in new[] { client, server })
            {
                _open.TryRemove(socket, out _);
                socket.Dispose();
            }
        }
    }

    static async Task PumpAsync(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (read == 0) return;
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
