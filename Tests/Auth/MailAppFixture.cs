using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Tests.Infrastructure;
using ChartCraft.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace ChartCraft.Tests.Auth;

/// <summary>
/// The app sending its mail to a real SMTP server in the test process (<see cref="TestMailServer"/>, with a login),
/// retrying after 1 s while it is away; low account-mail limits; the client's address taken from X-Test-Peer.
/// </summary>
public sealed class MailAppFixture : AppFixture, IAsyncLifetime
{
    public const string AppUrl = "https://app.example.com";
    public const string From = "noreply@chartcraft.example";
    public const int PerAddressLimit = 3;
    public const int PerClientLimit = 5;

    public TestMailServer Mail { get; } = new();

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["SMTP_URL"] = Mail.SmtpUrl,
        ["MAIL_FROM"] = $"ChartCraft <{From}>",
        ["APP_URL"] = AppUrl,
        ["MAIL_RETRY_DELAYS_SECONDS"] = "1",
        ["AUTH_MAIL_LIMIT_PER_ADDRESS"] = PerAddressLimit.ToString(),
        ["AUTH_MAIL_LIMIT_PER_CLIENT"] = PerClientLimit.ToString(),
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new BehindProxyFixture.PeerAddressFilter());

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Mail.DisposeAsync();
    }

    /// <summary>A client address of its own, so one test's requests never spend another's per-client limit.</summary>
    public static string NewPeer() => $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>POST /api/auth/password/forgot from <paramref name="peer"/>; the response as it came.</summary>
    public async Task<HttpResponseMessage> ForgotAsync(string email, string? peer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/password/forgot") { Content = JsonContent.Create(new { email }) };
        request.Headers.Add("X-Test-Peer", peer ?? NewPeer());
        return await Client().SendAsync(request);
    }

    /// <summary>The token of the verification link in the <paramref name="count"/>-th such mail to <paramref name="address"/>.</summary>
    public async Task<string> VerificationTokenAsync(string address, int count = 1) =>
        TestMailServer.TokenOf(await Mail.WaitForAsync(address, count, TestMailServer.Linking("verify-email")), AppUrl, "verify-email");

    public async Task<string> ResetTokenAsync(string address, int count = 1) =>
        TestMailServer.TokenOf(await Mail.WaitForAsync(address, count, TestMailServer.Linking("reset-password")), AppUrl, "reset-password");

    public async Task<JsonNode> MeAsync(TestUser user) => await (await Client(user.AccessToken).GetAsync("/api/auth/me")).JsonAsync();

    public async Task<HttpResponseMessage> PostAsync(string url, object body, string? accessToken = null) =>
        await Client(accessToken).PostAsync(url, JsonContent.Create(body));
}

[CollectionDefinition(Name)]
public sealed class MailCollection : ICollectionFixture<MailAppFixture>
{
    public const string Name = "mail";
}
