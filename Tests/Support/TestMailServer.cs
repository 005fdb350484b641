using System.Buffers;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ChartCraft.Tests.Support;

/// <summary>
/// A real SMTP server (SmtpServer) in the test process that requires a login, behind a <see cref="TcpForwarder"/> so a
/// test can take it away from the app (connections refused) and bring it back. Keeps every mail it accepted.
/// </summary>
public sealed class TestMailServer : IAsyncDisposable
{
    public const string UserName = "chartcraft";
    /// <summary>With characters that must be escaped in SMTP_URL, to prove the app unescapes them.</summary>
    public const string Password = "p@ss:w/rd 42";

    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentQueue<MimeMessage> _received = new();
    readonly int _port = TestEnvironment.FreePort();

    public TestMailServer()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Port(_port, false).AllowUnsecureAuthentication(true).AuthenticationRequired(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_received));
        services.Add(new Login(this));
        _ = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
        Line = new TcpForwarder("127.0.0.1", _port);
    }

    /// <summary>The app's way to the server: <see cref="TcpForwarder.Cut"/> makes the server unreachable.</summary>
    public TcpForwarder Line { get; }

    public string SmtpUrl => $"smtp://{UserName}:{Uri.EscapeDataString(Password)}@127.0.0.1:{Line.Port}";

    /// <summary>How many logins the server accepted, and refused.</summary>
    public int Logins, RefusedLogins;

    public IReadOnlyList<MimeMessage> Received => [.. _received];

    public IReadOnlyList<MimeMessage> To(string address) =>
        Received.Where(m => m.To.Mailboxes.Any(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>
    /// The <paramref name="count"/>-th mail to <paramref name="address"/> (1 = the first) that passes <paramref name="which"/>,
    /// once it has arrived. Mails are sent by background handlers: those of one account may arrive in any order.
    /// </summary>
    public async Task<MimeMessage> WaitForAsync(string address, int count = 1, Func<MimeMessage, bool>? which = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var mails = To(address).Where(which ?? (_ => true)).ToList();
            if (mails.Count >= count) return mails[count - 1];
            await Task.Delay(50);
        }
        throw new TimeoutException($"No mail #{count} to {address} arrived; received: {string.Join(", ", Received.Select(m => m.To.ToString()))}");
    }

    /// <summary>Mails with a link to <c>/{page}?token=</c>.</summary>
    public static Func<MimeMessage, bool> Linking(string page) => mail => mail.TextBody.Contains($"/{page}?token=");

    /// <summary>The token of the link to <c>{appUrl}/{page}?token=…</c> in the plain-text body; the HTML body links to the same.</summary>
    public static string TokenOf(MimeMessage mail, string appUrl, string page)
    {
        var link = new Regex(Regex.Escape($"{appUrl}/{page}?token=") + @"([A-Za-z0-9_-]+)").Match(mail.TextBody);
        link.Success.ShouldBeTrue($"no {page} link in: {mail.TextBody}");
        mail.HtmlBody.ShouldContain($"href=\"{appUrl}/{page}?token={link.Groups[1].Value}\"");
        return link.Groups[1].Value;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Line.DisposeAsync();
    }

    sealed class Store(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    sealed class Login(TestMailServer server) : UserAuthenticator
    {
        public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            var ok = user == UserName && password == Password;
            Interlocked.Increment(ref ok ? ref server.Logins : ref server.RefusedLogins);
            return Task.FromResult(ok);
        }
    }
}
