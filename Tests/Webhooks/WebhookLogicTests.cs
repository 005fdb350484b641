using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Features.Messages;
using ChartCraft.Features.Webhooks;
using ChartCraft.Infrastructure.Security;
using ChartCraft.Infrastructure.Configuration;
using Microsoft.Extensions.Configuration;

namespace ChartCraft.Tests.Webhooks;

public sealed class StandardWebhookSignatureTests
{
    // The test vector published with the Standard Webhooks reference libraries (and Svix's).
    const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const long VectorTimestamp = 1614265330;
    const string VectorBody = """{"test": 2432232314}""";
    const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void the_signer_reproduces_the_published_standard_webhooks_test_vector()
    {
        StandardWebhookSignature.Sign(VectorSecret, VectorId, VectorTimestamp, Encoding.UTF8.GetBytes(VectorBody))
            .ShouldBe(VectorSignature);
    }

    [Fact]
    public void the_tests_own_verifier_accepts_the_test_vector_and_rejects_a_changed_body_id_or_timestamp()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);
        var body = Encoding.UTF8.GetBytes(VectorBody);
        StandardWebhooksVerifier.Verify(VectorSecret, VectorId, "1614265330", VectorSignature, body, at).ShouldBeTrue();
        StandardWebhooksVerifier.Verify(VectorSecret, VectorId, "1614265330", "v1,bm9wZQ== " + VectorSignature, body, at).ShouldBeTrue();
        StandardWebhooksVerifier.Verify(VectorSecret, VectorId, "1614265330", VectorSignature, Encoding.UTF8.GetBytes("""{"test": 2432232315}"""), at).ShouldBeFalse();
        StandardWebhooksVerifier.Verify(VectorSecret, "msg_other", "1614265330", VectorSignature, body, at).ShouldBeFalse();
        StandardWebhooksVerifier.Verify(VectorSecret, VectorId, "1614265331", VectorSignature, body, at).ShouldBeFalse();
        // Too old: replayed outside the 5-minute tolerance.
        StandardWebhooksVerifier.Verify(VectorSecret, VectorId, "1614265330", VectorSignature, body, at.AddMinutes(6)).ShouldBeFalse();
    }

    [Fact]
    public void generated_secrets_are_whsec_with_32_random_bytes()
    {
        var secrets = Enumerable.Range(0, 50).Select(_ => WebhookSecrets.Generate()).ToList();
        secrets.Distinct().Count().ShouldBe(50);
        secrets.ShouldAllBe(s => s.StartsWith("whsec_") && Convert.FromBase64String(s.Substring(6)).Length == 32);
    }
}

public sealed class WebhookTargetGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.20.30.40", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.10", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("100.127.255.254", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("64:ff9b::7f00:1", "loopback")] // NAT64 of 127.0.0.1
    [InlineData("2002:a00:1::1", "private")]      // 6to4 of 10.0.0.1
    [InlineData("::ffff:0:127.0.0.1", "IPv4-translated")] // SIIT form, reaches 127.0.0.1 through a translator
    [InlineData("::ffff:0:8.8.8.8", "IPv4-translated")]
    public void internal_addresses_are_refused_with_their_kind(string address, string kind)
    {
        WebhookTargetGuard.WhyRefused(IPAddress.Parse(address)).ShouldNotBeNull().ShouldContain(kind);
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]   // just past 172.16/12
    [InlineData("100.128.0.1")]  // just past 100.64/10
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of 8.8.8.8
    public void public_addresses_are_allowed(string address)
    {
        WebhookTargetGuard.WhyRefused(IPAddress.Parse(address)).ShouldBeNull();
    }

    sealed class FixedResolver(params IPAddress[] answer) : IWebhookHostResolver
    {
        public int Calls { get; private set; }

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult(answer);
        }
    }

    static WebhookOptions Options(bool allowPrivate, bool allowLoopback = false) =>
        new(allowLoopback, allowPrivate, [], 5, TimeSpan.FromSeconds(10), TimeSpan.FromDays(30), TimeSpan.FromHours(1));

    [Fact]
    public async Task a_name_is_refused_when_any_of_its_addresses_is_internal_without_saying_where_it_resolved()
    {
        var guard = new WebhookTargetGuard(new FixedResolver(IPAddress.Parse("8.8.8.8"), IPAddress.Parse("192.168.7.7")), Options(false));
        var refusal = await Should.ThrowAsync<TargetRefusedException>(() => guard.ResolveAsync("hooks.example.net", default));
        refusal.Message.ShouldBe("hooks.example.net is not a public host");
    }

    [Fact]
    public async Task an_ip_literal_is_checked_without_asking_dns()
    {
        var resolver = new FixedResolver(IPAddress.Parse("8.8.8.8"));
        var guard = new WebhookTargetGuard(resolver, Options(false));
        (await guard.CheckAsync(new Uri("http://[::1]:8080/x"), default)).ShouldNotBeNull().ShouldContain("::1 is a loopback address");
        (await guard.CheckAsync(new Uri("http://127.0.0.1/x"), default)).ShouldNotBeNull().ShouldContain("127.0.0.1 is a loopback address");
        resolver.Calls.ShouldBe(0);
        (await guard.CheckAsync(new Uri("https://hooks.example.net/x"), default)).ShouldBeNull();
        resolver.Calls.ShouldBe(1);
    }

    // Each switch opens its own ranges and nothing else; link-local (cloud metadata) and the reserved ranges stay shut
    // whatever is set. Columns: URL, loopback switch, private switch, allowed.
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", true, false, true)]
    [InlineData("http://[::1]:8080/hook", true, false, true)]
    [InlineData("http://[::ffff:127.0.0.1]/hook", true, false, true)]
    [InlineData("http://10.0.0.1/", true, false, false)]
    [InlineData("http://[fd00::1]/", true, false, false)]
    [InlineData("http://169.254.169.254/latest", true, false, false)]
    [InlineData("http://10.0.0.1/", false, true, true)]
    [InlineData("http://172.16.5.4/", false, true, true)]
    [InlineData("http://192.168.1.10/", false, true, true)]
    [InlineData("http://100.64.0.1/", false, true, true)]
    [InlineData("http://[fd00::1]/", false, true, true)]
    [InlineData("http://127.0.0.1/", false, true, false)]
    [InlineData("http://169.254.169.254/latest", false, true, false)]
    [InlineData("http://169.254.169.254/latest", true, true, false)]
    [InlineData("http://[fe80::1]/", true, true, false)]
    [InlineData("http://[::ffff:169.254.169.254]/", true, true, false)]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/", true, true, false)] // NAT64 of the metadata address
    [InlineData("http://[64:ff9b::7f00:1]/", true, true, false)]    // NAT64 of loopback: only the plain form is opened
    [InlineData("http://0.0.0.0/", true, true, false)]
    [InlineData("http://224.0.0.1/", true, true, false)]
    [InlineData("http://192.0.2.1/", true, true, false)]
    public async Task the_loopback_and_private_switches_open_only_their_own_ranges(string url, bool loopback, bool privateNetworks, bool allowed)
    {
        var guard = new WebhookTargetGuard(new FixedResolver(IPAddress.Parse("8.8.8.8")), Options(privateNetworks, loopback));
        var refusal = await guard.CheckAsync(new Uri(url), default);
        if (allowed) refusal.ShouldBeNull();
        else refusal.ShouldNotBeNull().ShouldStartWith("refused: ");
    }

    [Fact]
    public async Task a_name_resolving_to_the_metadata_address_is_refused_with_both_switches_on()
    {
        var guard = new WebhookTargetGuard(new FixedResolver(IPAddress.Parse("169.254.169.254")), Options(true, true));
        var refusal = await Should.ThrowAsync<TargetRefusedException>(() => guard.ResolveAsync("metadata.internal", default));
        refusal.Message.ShouldBe("metadata.internal is not a public host");
        var local = new WebhookTargetGuard(new FixedResolver(IPAddress.Loopback), Options(false, true));
        (await local.ResolveAsync("localhost", default)).ShouldBe([IPAddress.Loopback]);
    }
}

public sealed class WebhookRetryPolicyTests
{
    static readonly IReadOnlyList<TimeSpan> Delays = [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5)];

    [Fact]
    public void failures_follow_the_schedule_then_give_up()
    {
        WebhookRetryPolicy.Next(AttemptOutcome.Failed, 1, Delays).ShouldBe((NextStep.Retry, TimeSpan.FromSeconds(5)));
        WebhookRetryPolicy.Next(AttemptOutcome.Failed, 2, Delays).ShouldBe((NextStep.Retry, TimeSpan.FromMinutes(5)));
        WebhookRetryPolicy.Next(AttemptOutcome.Failed, 3, Delays).ShouldBe((NextStep.GiveUp, null));
        WebhookRetryPolicy.Next(AttemptOutcome.Failed, 1, []).ShouldBe((NextStep.GiveUp, null));
    }

    [Fact]
    public void success_gone_and_refusal_end_the_delivery_at_once()
    {
        WebhookRetryPolicy.Next(AttemptOutcome.Succeeded, 1, Delays).ShouldBe((NextStep.Done, null));
        WebhookRetryPolicy.Next(AttemptOutcome.Gone, 1, Delays).ShouldBe((NextStep.Disable, null));
        WebhookRetryPolicy.Next(AttemptOutcome.Refused, 1, Delays).ShouldBe((NextStep.GiveUp, null));
    }
}

public sealed class WebhookOptionsTests
{
    static WebhookOptions Load(params (string Key, string Value)[] values) =>
        WebhookOptions.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Fact]
    public void defaults_refuse_private_targets_and_retry_over_about_a_day()
    {
        var options = Load();
        options.AllowPrivateTargets.ShouldBeFalse();
        options.AllowLoopbackTargets.ShouldBeFalse();
        options.MaxAttempts.ShouldBe(8);
        options.RetryDelays[0].ShouldBe(TimeSpan.FromSeconds(5));
        options.RetryDelays.Aggregate(TimeSpan.Zero, (a, b) => a + b).ShouldBe(TimeSpan.FromSeconds(5) + TimeSpan.FromMinutes(35) + TimeSpan.FromHours(27));
        options.FailingAfterDeliveries.ShouldBe(5);
        options.Timeout.ShouldBe(TimeSpan.FromSeconds(10));
        options.DeliveryRetention.ShouldBe(TimeSpan.FromDays(30));
    }

    [Fact]
    public void the_keys_set_each_option()
    {
        var options = Load(("WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"), ("WEBHOOK_ALLOW_LOOPBACK_TARGETS", "yes"), ("WEBHOOK_RETRY_DELAYS_SECONDS", "1, 2,30"),
            ("WEBHOOK_FAILING_AFTER", "3"), ("WEBHOOK_TIMEOUT_SECONDS", "4"), ("WEBHOOK_DELIVERY_RETENTION_DAYS", "7"),
            ("WEBHOOK_DELIVERY_PRUNE_INTERVAL_MINUTES", "0.5"));
        options.AllowPrivateTargets.ShouldBeTrue();
        options.AllowLoopbackTargets.ShouldBeTrue();
        options.RetryDelays.ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)]);
        options.FailingAfterDeliveries.ShouldBe(3);
        options.Timeout.ShouldBe(TimeSpan.FromSeconds(4));
        options.DeliveryRetention.ShouldBe(TimeSpan.FromDays(7));
        options.PruneInterval.ShouldBe(TimeSpan.FromSeconds(30));
        Load().PruneInterval.ShouldBe(TimeSpan.FromHours(1));
        Load(("WEBHOOK_RETRY_DELAYS_SECONDS", "none")).MaxAttempts.ShouldBe(1);
    }

    [Theory]
    [InlineData("WEBHOOK_ALLOW_PRIVATE_TARGETS", "maybe")]
    [InlineData("WEBHOOK_ALLOW_LOOPBACK_TARGETS", "sure")]
    [InlineData("WEBHOOK_RETRY_DELAYS_SECONDS", "5,,10")]
    [InlineData("WEBHOOK_RETRY_DELAYS_SECONDS", "5,-1")]
    [InlineData("WEBHOOK_RETRY_DELAYS_SECONDS", "5m")]
    [InlineData("WEBHOOK_FAILING_AFTER", "0")]
    [InlineData("WEBHOOK_TIMEOUT_SECONDS", "600")]
    public void a_bad_value_stops_start_up_naming_the_key(string key, string value)
    {
        Should.Throw<InvalidConfigurationException>(() => Load((key, value))).Variable.ShouldBe(key);
    }
}

public sealed class WebhookPayloadTests
{
    [Fact]
    public void the_body_is_type_timestamp_and_data_with_the_event_keys_as_given()
    {
        var chartId = Guid.NewGuid();
        var json = WebhookPayload.Serialize(new WebhookEvent(Guid.NewGuid(), WebhookEventTypes.ChartUpdated,
            new Dictionary<string, object?> { ["chart_id"] = chartId, ["changes"] = new[] { "title" }, ["note"] = null },
            new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2))));

        var body = JsonNode.Parse(json)!.AsObject();
        body.Select(p => p.Key).ShouldBe(["type", "timestamp", "data"]);
        body["type"]!.GetValue<string>().ShouldBe("chart.updated");
        body["timestamp"]!.GetValue<string>().ShouldBe("2026-03-04T03:06:07Z");
        body["data"]!["chart_id"]!.GetValue<string>().ShouldBe(chartId.ToString());
        body["data"]!["changes"]![0]!.GetValue<string>().ShouldBe("title");
        body["data"]!.AsObject().ContainsKey("note").ShouldBeTrue();
    }
}
