using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Web;
using Alba;
using ChartCraft.Features.Newsletter.Integrations;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Support.Fakes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Tracking;

namespace ChartCraft.Tests.Newsletter.Integrations;

[Collection(NewsletterCollection.Name)]
public sealed class IntegrationEndpointTests(NewsletterAppFixture app)
{
    FakeMailchimp Mailchimp => app.Mailchimp;
    FakeKit Kit => app.Kit;

    async Task<JsonArray> ListAsync(TestUser user, bool check = false)
    {
        var response = await app.Client(user.AccessToken).GetAsync(check ? "/api/integrations?check=true" : "/api/integrations");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.JsonAsync()).AsArray();
    }

    async Task<string> StoredJsonAsync(Guid userId, string provider)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Json.FindByIdAsync<Integration>(Integration.IdFor(userId, provider)))!;
    }

    [Fact]
    public async Task a_mailchimp_key_is_checked_with_mailchimp_then_stored_encrypted_and_never_shown()
    {
        var user = await app.RegisterVerifiedAsync();
        var key = Mailchimp.NewApiKey("Chart Weekly", "us14");

        var body = await app.ConnectAsync(user, "mailchimp", key);

        body.AsObject().Select(p => p.Key).OrderBy(k => k).ShouldBe(
            ["account_name", "auth_method", "connected_at", "last_checked_at", "last_error", "provider", "status"]);
        body["provider"]!.GetValue<string>().ShouldBe("mailchimp");
        body["status"]!.GetValue<string>().ShouldBe("connected");
        body["auth_method"]!.GetValue<string>().ShouldBe("api_key");
        body["account_name"]!.GetValue<string>().ShouldBe("Chart Weekly");
        body["last_error"].ShouldBeNull();
        Mailchimp.RequestsTo("GET", "/us14/3.0/ping").Count.ShouldBe(1);

        var stored = await StoredJsonAsync(user.Id, "mailchimp");
        stored.ShouldNotContain(key);
        stored.ShouldNotContain(key[..12]);
        JsonNode.Parse(stored)!["protected_credentials"]!.GetValue<string>().Length.ShouldBeGreaterThan(40);

        var listText = await (await app.Client(user.AccessToken).GetAsync("/api/integrations")).Content.ReadAsStringAsync();
        listText.ShouldNotContain(key);
        listText.ShouldNotContain("protected_credentials");
    }

    [Fact]
    public async Task a_key_mailchimp_refuses_is_422_quoting_mailchimp_and_nothing_is_stored()
    {
        var user = await app.RegisterVerifiedAsync();
        var key = Mailchimp.NewApiKey();
        Mailchimp.Revoke(key);

        var problem = (await app.ConnectAsync(user, "mailchimp", key, 422)).ShouldBeProblem(422);
        problem["detail"]!.GetValue<string>().ShouldBe(
            "Mailchimp refused the key: API Key Invalid: Your API key may be invalid, or you've attempted to access the wrong datacenter.");
        problem["errors"]!["api_key"]!.AsArray().Count.ShouldBe(1);
        (await ListAsync(user)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_mailchimp_key_without_its_data_centre_is_422_without_asking_mailchimp()
    {
        var user = await app.RegisterVerifiedAsync();
        var before = Mailchimp.Requests.Count;
        var problem = (await app.ConnectAsync(user, "mailchimp", "0123456789abcdef0123456789abcdef", 422)).ShouldBeProblem(422);
        problem["detail"]!.GetValue<string>().ShouldContain("-us6");
        Mailchimp.Requests.Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_kit_key_is_checked_with_kit_and_a_refused_one_is_422_with_kits_reason()
    {
        var user = await app.RegisterVerifiedAsync();
        var good = Kit.NewApiKey("Kit Numbers");
        var body = await app.ConnectAsync(user, "convertkit", good);
        body["account_name"]!.GetValue<string>().ShouldBe("Kit Numbers");
        Kit.RequestsTo("GET", "/v4/account").Last().Header("X-Kit-Api-Key").ShouldBe(good);
        (await StoredJsonAsync(user.Id, "convertkit")).ShouldNotContain(good);

        var other = await app.RegisterVerifiedAsync();
        var problem = (await app.ConnectAsync(other, "convertkit", "kit_wrong_key", 422)).ShouldBeProblem(422);
        problem["detail"]!.GetValue<string>().ShouldBe("Kit refused the key: The access token is invalid");
        (await ListAsync(other)).ShouldBeEmpty();
    }

    [Fact]
    public async Task unknown_providers_are_404_and_a_missing_key_is_422()
    {
        var user = await app.RegisterVerifiedAsync();
        (await app.ConnectAsync(user, "sendgrid", "abc", 404)).ShouldBeProblem(404);
        var response = await app.Client(user.AccessToken).PostAsync("/api/integrations/mailchimp/connect", JsonContent.Create(new { }));
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.JsonAsync())["errors"]!["api_key"].ShouldNotBeNull();
        (await app.Client().GetAsync("/api/integrations")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>Runs the browser's part: the provider's consent page answers with a redirect to our callback.</summary>
    async Task<Uri> ConsentAsync(string authorizeUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await browser.GetAsync(authorizeUrl);
        consent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return consent.Headers.Location!;
    }

    async Task<string> StartAsync(TestUser user, string provider)
    {
        var response = await app.Client(user.AccessToken).GetAsync($"/api/integrations/{provider}/oauth/start");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        text.ShouldNotContain(FakeMailchimp.ClientSecret);
        text.ShouldNotContain(FakeKit.ClientSecret);
        return JsonNode.Parse(text)!["authorize_url"]!.GetValue<string>();
    }

    /// <summary>The browser arriving at our callback: no bearer token; returns where the app sends it next.</summary>
    async Task<string> CallbackAsync(Uri callback)
    {
        var response = await app.Client().GetAsync(callback.PathAndQuery);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return response.Headers.Location!.ToString();
    }

    [Fact]
    public async Task the_mailchimp_oauth_round_trip_connects_the_user_and_a_replayed_callback_is_refused()
    {
        var user = await app.RegisterVerifiedAsync();
        var authorize = new Uri(await StartAsync(user, "mailchimp"));
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(Mailchimp.LoginBaseUrl + "/oauth2/authorize");
        var query = HttpUtility.ParseQueryString(authorize.Query);
        query["client_id"].ShouldBe(FakeMailchimp.ClientId);
        query["response_type"].ShouldBe("code");
        query["redirect_uri"].ShouldBe("http://localhost/api/integrations/mailchimp/oauth/callback");
        query["state"].ShouldNotBeNullOrWhiteSpace();

        var callback = await ConsentAsync(authorize.AbsoluteUri);
        callback.GetLeftPart(UriPartial.Path).ShouldBe("http://localhost/api/integrations/mailchimp/oauth/callback");
        (await CallbackAsync(callback)).ShouldBe($"{NewsletterAppFixture.Frontend}/integrations?provider=mailchimp&status=connected");

        var token = Mailchimp.RequestsTo("POST", "/login/oauth2/token").Last();
        var form = HttpUtility.ParseQueryString(token.Body);
        form["grant_type"].ShouldBe("authorization_code");
        form["client_secret"].ShouldBe(FakeMailchimp.ClientSecret);
        form["redirect_uri"].ShouldBe("http://localhost/api/integrations/mailchimp/oauth/callback");
        Mailchimp.RequestsTo("GET", "/login/oauth2/metadata").Last().Header("Authorization")!.ShouldStartWith("OAuth mc-token-");

        var integration = (await ListAsync(user)).Single()!;
        integration["auth_method"]!.GetValue<string>().ShouldBe("oauth");
        integration["status"]!.GetValue<string>().ShouldBe("connected");
        integration["account_name"]!.GetValue<string>().ShouldBe(Mailchimp.OAuthAccountName);
        var connectedAt = integration["connected_at"]!.GetValue<string>();
        var stored = await StoredJsonAsync(user.Id, "mailchimp");
        Mailchimp.IssuedTokens.ShouldAllBe(t => !stored.Contains(t));

        // The same callback again (a replay): the state was spent, nothing changes.
        (await CallbackAsync(callback)).ShouldBe($"{NewsletterAppFixture.Frontend}/integrations?provider=mailchimp&status=error&reason=invalid_state");
        (await ListAsync(user)).Single()!["connected_at"]!.GetValue<string>().ShouldBe(connectedAt);
    }

    [Fact]
    public async Task a_forged_state_is_refused_before_the_code_is_exchanged_and_nothing_is_stored()
    {
        var user = await app.RegisterVerifiedAsync();
        var authorize = new Uri(await StartAsync(user, "mailchimp"));
        var query = HttpUtility.ParseQueryString(authorize.Query);
        query["state"] = "forged-by-an-attacker";
        var callback = await ConsentAsync($"{authorize.GetLeftPart(UriPartial.Path)}?{query}");
        var exchanges = Mailchimp.RequestsTo("POST", "/login/oauth2/token").Count;

        (await CallbackAsync(callback)).ShouldBe($"{NewsletterAppFixture.Frontend}/integrations?provider=mailchimp&status=error&reason=invalid_state");
        Mailchimp.RequestsTo("POST", "/login/oauth2/token").Count.ShouldBe(exchanges);
        (await ListAsync(user)).ShouldBeEmpty();

        var noState = await app.Client().GetAsync("/api/integrations/mailchimp/oauth/callback?code=abc");
        noState.Headers.Location!.ToString().ShouldEndWith("status=error&reason=invalid_state");
    }

    [Fact]
    public async Task a_state_issued_for_one_provider_does_not_complete_another()
    {
        var user = await app.RegisterVerifiedAsync();
        var state = HttpUtility.ParseQueryString(new Uri(await StartAsync(user, "mailchimp")).Query)["state"]!;
        var response = await app.Client().GetAsync($"/api/integrations/convertkit/oauth/callback?code=x&state={Uri.EscapeDataString(state)}");
        response.Headers.Location!.ToString().ShouldBe($"{NewsletterAppFixture.Frontend}/integrations?provider=convertkit&status=error&reason=invalid_state");
        (await ListAsync(user)).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_user_who_declines_at_the_provider_comes_back_with_the_providers_error_and_the_state_is_spent()
    {
        var user = await app.RegisterVerifiedAsync();
        var state = HttpUtility.ParseQueryString(new Uri(await StartAsync(user, "convertkit")).Query)["state"]!;
        var declined = await app.Client().GetAsync($"/api/integrations/convertkit/oauth/callback?error=access_denied&state={Uri.EscapeDataString(state)}");
        declined.Headers.Location!.ToString().ShouldBe($"{NewsletterAppFixture.Frontend}/integrations?provider=convertkit&status=error&reason=access_denied");
        var again = await app.Client().GetAsync($"/api/integrations/convertkit/oauth/callback?code=abc&state={Uri.EscapeDataString(state)}");
        again.Headers.Location!.ToString().ShouldEndWith("reason=invalid_state");
        (await ListAsync(user)).ShouldBeEmpty();
    }

    [Fact]
    public async Task kit_oauth_tokens_are_stored_encrypted_and_refreshed_when_they_are_about_to_expire()
    {
        var user = await app.RegisterVerifiedAsync();
        Kit.TokenLifetimeSeconds = 120; // inside the 5-minute refresh margin: the next use refreshes
        try
        {
            var authorize = new Uri(await StartAsync(user, "convertkit"));
            authorize.GetLeftPart(UriPartial.Path).ShouldBe(Kit.BaseUrl + "/v4/oauth/authorize");
            (await CallbackAsync(await ConsentAsync(authorize.AbsoluteUri)))
                .ShouldBe($"{NewsletterAppFixture.Frontend}/integrations?provider=convertkit&status=connected");
            var exchange = Kit.RequestsTo("POST", "/v4/oauth/token").Last().Json!;
            exchange["grant_type"]!.GetValue<string>().ShouldBe("authorization_code");
            exchange["client_secret"]!.GetValue<string>().ShouldBe(FakeKit.ClientSecret);
            var firstAccess = Kit.RequestsTo("GET", "/v4/account").Last().Header("Authorization")!;
            firstAccess.ShouldStartWith("Bearer kit-access-");

            var checkedList = await ListAsync(user, check: true);
            checkedList.Single()!["status"]!.GetValue<string>().ShouldBe("connected");
            var refresh = Kit.RequestsTo("POST", "/v4/oauth/token").Last().Json!;
            refresh["grant_type"]!.GetValue<string>().ShouldBe("refresh_token");
            refresh["refresh_token"]!.GetValue<string>().ShouldStartWith("kit-refresh-");
            var secondAccess = Kit.RequestsTo("GET", "/v4/account").Last().Header("Authorization")!;
            secondAccess.ShouldStartWith("Bearer kit-access-");
            secondAccess.ShouldNotBe(firstAccess);

            var stored = await StoredJsonAsync(user.Id, "convertkit");
            Kit.IssuedAccessTokens.Concat(Kit.IssuedRefreshTokens).ShouldAllBe(t => !stored.Contains(t));
        }
        finally
        {
            Kit.TokenLifetimeSeconds = 172800;
        }
    }

    [Fact]
    public async Task oauth_start_needs_a_signed_in_user()
    {
        (await app.Client().GetAsync("/api/integrations/mailchimp/oauth/start")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task a_check_records_a_refused_key_as_error_and_a_working_one_as_connected_and_metrics_count_them()
    {
        var user = await app.RegisterVerifiedAsync();
        var key = Mailchimp.NewApiKey();
        var connected = await app.ConnectAsync(user, "mailchimp", key);
        var firstCheck = DateTimeOffset.Parse(connected["last_checked_at"]!.GetValue<string>());

        Mailchimp.Revoke(key);
        var failed = (await ListAsync(user, check: true)).Single()!;
        failed["status"]!.GetValue<string>().ShouldBe("error");
        failed["last_error"]!.GetValue<string>().ShouldStartWith("API Key Invalid");
        DateTimeOffset.Parse(failed["last_checked_at"]!.GetValue<string>()).ShouldBeGreaterThanOrEqualTo(firstCheck); // the API shows whole seconds
        // Without ?check the stored state is shown as it is.
        (await ListAsync(user)).Single()!["status"]!.GetValue<string>().ShouldBe("error");

        var metrics = await (await app.Client().GetAsync("/metrics")).Content.ReadAsStringAsync();
        metrics.ShouldContain("# TYPE chartcraft_integrations gauge");
        var errors = metrics.Split('\n').Single(l => l.StartsWith("chartcraft_integrations{provider=\"mailchimp\",status=\"error\"}", StringComparison.Ordinal));
        double.Parse(errors.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);

        var again = await app.ConnectAsync(user, "mailchimp", Mailchimp.NewApiKey());
        again["status"]!.GetValue<string>().ShouldBe("connected");
        again["last_error"].ShouldBeNull();
    }

    [Fact]
    public async Task the_scheduled_check_visits_every_connection_and_records_each_outcome()
    {
        var alice = await app.RegisterVerifiedAsync();
        var bob = await app.RegisterVerifiedAsync();
        var aliceKey = Kit.NewApiKey();
        await app.ConnectAsync(alice, "convertkit", aliceKey);
        await app.ConnectAsync(bob, "mailchimp", Mailchimp.NewApiKey());
        Kit.Revoke(aliceKey);

        await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync(
            (Func<IMessageContext, Task>)(bus => bus.PublishAsync(new CheckAllIntegrations(DateTimeOffset.UtcNow)).AsTask()));

        var aliceAfter = (await ListAsync(alice)).Single()!;
        aliceAfter["status"]!.GetValue<string>().ShouldBe("error");
        aliceAfter["last_error"]!.GetValue<string>().ShouldBe("The access token is invalid");
        (await ListAsync(bob)).Single()!["status"]!.GetValue<string>().ShouldBe("connected");
    }

    [Fact]
    public async Task disconnecting_forgets_the_connection_and_other_users_cannot_touch_it()
    {
        var owner = await app.RegisterVerifiedAsync();
        var intruder = await app.RegisterVerifiedAsync();
        await app.ConnectAsync(owner, "convertkit", Kit.NewApiKey());

        var stranger = await app.Client(intruder.AccessToken).DeleteAsync("/api/integrations/convertkit");
        stranger.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await stranger.JsonAsync()).ShouldBeProblem(404);
        (await ListAsync(intruder)).ShouldBeEmpty();
        (await ListAsync(owner)).Count.ShouldBe(1);

        (await app.Client(owner.AccessToken).DeleteAsync("/api/integrations/convertkit")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ListAsync(owner)).ShouldBeEmpty();
        (await app.Client(owner.AccessToken).DeleteAsync("/api/integrations/convertkit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using var session = app.Store.QuerySession();
        (await session.LoadAsync<Integration>(Integration.IdFor(owner.Id, "convertkit"))).ShouldBeNull();
    }
}
