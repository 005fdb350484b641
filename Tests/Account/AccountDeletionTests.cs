using System.Net;
using System.Net.Http.Json;
using ChartCraft.Features.Account;
using ChartCraft.Features.Auth;
using ChartCraft.Features.Webhooks;
using ChartCraft.Infrastructure.Persistence;
using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Export;
using ChartCraft.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Tracking;

namespace ChartCraft.Tests.Account;

/// <summary>DELETE /api/account: the tokens die at once, then a durable job leaves nothing of the account in any store.</summary>
[Collection(AccountCollection.Name)]
public sealed class AccountDeletionTests(AccountAppFixture app)
{
    IBlobStorage Storage => app.Storage;

    static HttpRequestMessage DeleteAccount(TestUser user, object? body)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, "/api/account");
        request.Headers.Authorization = new("Bearer", user.AccessToken);
        if (body is not null) request.Content = JsonContent.Create(body);
        return request;
    }

    /// <summary>An account with every kind of data: a source, a chart with a public view, an image and an account export, deliveries.</summary>
    async Task<(AccountData Data, List<Guid> Ids)> FullAccountAsync(string title)
    {
        var data = await app.AccountWithDataAsync(title);
        var (status, image, _) = await app.ExportImageAsync(data.User, new { chart_id = data.ChartId, format = "png", width = 300, height = 200 });
        status.ShouldBe(200, image.ToJsonString());
        var archive = await app.ExportAccountAsync(data.User);
        // Both exports fan out export.completed to the webhook: wait for its deliveries, so none is still being made.
        await using (var session = app.Store.QuerySession())
        {
            for (var i = 0; i < 100 && await session.Query<WebhookDelivery>().CountAsync(d => d.UserId == data.User.Id) < 2; i++) await Task.Delay(100);
            (await session.Query<WebhookDelivery>().CountAsync(d => d.UserId == data.User.Id)).ShouldBe(2);
        }
        (await Storage.ListAsync($"exports/{data.User.Id:N}/")).Count.ShouldBe(2);
        (await Storage.ListAsync($"uploads/{data.User.Id:N}/")).Count.ShouldBe(1);
        var ids = new List<Guid> { data.User.Id, data.SourceId, data.ChartId, data.WebhookId,
            Guid.Parse(image["export_id"]!.GetValue<string>()), Guid.Parse(archive["export_id"]!.GetValue<string>()) };
        return (data, ids);
    }

    async Task WaitUntilDeletedAsync(Guid userId)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var session = app.Store.QuerySession();
            if (await session.LoadAsync<User>(userId) is null) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"user {userId} still there after 30 s");
    }

    async Task NothingLeftAsync(List<string> needles)
    {
        (await AccountLeftovers.InPostgresAsync(app, needles)).ShouldBeEmpty();
        (await AccountLeftovers.InRedisAsync(app, needles)).ShouldBeEmpty();
        (await AccountLeftovers.InStorageAsync(app, needles)).ShouldBeEmpty();
    }

    [Fact]
    public async Task deleting_an_account_ends_its_tokens_at_once_and_leaves_nothing_of_it_in_postgres_redis_or_storage()
    {
        var (data, ids) = await FullAccountAsync("Deleted chart");
        var (kept, keptIds) = await FullAccountAsync("Kept chart");
        var user = data.User;
        var needles = AccountLeftovers.Forms([.. ids]).Append(user.Email).ToList();
        // The search finds the data before: it can find it.
        (await AccountLeftovers.InPostgresAsync(app, needles)).ShouldContain(t => t.StartsWith("mt_events"));
        (await AccountLeftovers.InRedisAsync(app, needles)).ShouldNotBeEmpty();
        (await AccountLeftovers.InStorageAsync(app, needles)).Count.ShouldBe(3);

        // The job waits (at its first step) until released: what follows is the request's own doing.
        var release = app.Storage.Hold(user.Id);
        var response = await app.Client().SendAsync(DeleteAccount(user, new { password = user.Password }));
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());

        (await app.Client(user.AccessToken).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.Client(user.AccessToken).GetAsync($"/api/charts/{data.ChartId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.Client().PostAsync("/api/auth/refresh", JsonContent.Create(new { refresh_token = user.RefreshToken })))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var login = await app.Client().PostAsync("/api/auth/login", JsonContent.Create(new { email = user.Email, password = user.Password }));
        login.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        await using (var session = app.Store.QuerySession())
        {
            (await session.LoadAsync<User>(user.Id))!.IsActive.ShouldBeFalse();
            (await session.Query<RefreshToken>().Where(t => t.UserId == user.Id).Select(t => t.RevokedReason).ToListAsync())
                .ShouldAllBe(reason => reason == DeleteAccountEndpoint.AccountDeleted);
            (await session.LoadAsync<ChartCraft.Features.Charts.Chart>(data.ChartId)).ShouldNotBeNull(); // the job has not run
        }

        release();
        await WaitUntilDeletedAsync(user.Id);
        await NothingLeftAsync(needles);

        // The other account is whole.
        var other = app.Client(kept.User.AccessToken);
        (await other.GetAsync($"/api/charts/{kept.ChartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await other.GetAsync($"/api/data/sources/{kept.SourceId}/preview")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var history = await (await other.GetAsync($"/api/charts/{kept.ChartId}/history")).JsonAsync();
        history["revisions"]!.AsArray().Count.ShouldBe(3); // created, updated, exported
        (await (await other.GetAsync("/api/webhooks")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(1);
        (await (await other.GetAsync("/api/integrations")).JsonAsync()).AsArray().Count.ShouldBe(1);
        (await AccountLeftovers.InStorageAsync(app, AccountLeftovers.Forms(kept.User.Id))).Count.ShouldBe(3);
        (await AccountLeftovers.InRedisAsync(app, AccountLeftovers.Forms(kept.ChartId))).ShouldNotBeEmpty();
        (await app.Client().PostAsync("/api/auth/refresh", JsonContent.Create(new { refresh_token = kept.User.RefreshToken })))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AccountLeftovers.InPostgresAsync(app, AccountLeftovers.Forms([.. keptIds]))).Count.ShouldBeGreaterThan(5);

        // The email is free again, for a new account that starts empty.
        var again = await app.RegisterAsync(user.Email, "another password 7");
        again.Id.ShouldNotBe(user.Id);
        (await (await app.Client(again.AccessToken).GetAsync("/api/data/sources")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(0);
        (await (await app.Client(again.AccessToken).GetAsync("/api/integrations")).JsonAsync()).AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task a_missing_password_is_400_and_a_wrong_one_403_and_nothing_is_deleted()
    {
        var data = await app.AccountWithDataAsync();
        var user = data.User;

        var missing = await app.Client().SendAsync(DeleteAccount(user, new { }));
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await missing.JsonAsync()).ShouldBeProblem(400)["errors"]!["password"].ShouldNotBeNull();
        var noBody = await app.Client().SendAsync(DeleteAccount(user, null));
        ((int)noBody.StatusCode).ShouldBe(400, await noBody.Content.ReadAsStringAsync());
        var wrong = await app.Client().SendAsync(DeleteAccount(user, new { password = "not the password" }));
        wrong.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await wrong.JsonAsync()).ShouldBeProblem(403);
        (await app.Client().SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/account") { Content = JsonContent.Create(new { password = user.Password }) }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // Give a job that was wrongly queued the time to run: nothing may have changed.
        await Task.Delay(500);
        (await app.Client(user.AccessToken).GetAsync("/api/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Client(user.AccessToken).GetAsync($"/api/charts/{data.ChartId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Storage.ListAsync($"uploads/{user.Id:N}/")).Count.ShouldBe(1);
        await using var session = app.Store.QuerySession();
        var stored = (await session.LoadAsync<User>(user.Id))!;
        stored.IsActive.ShouldBeTrue();
        (await session.Query<RefreshToken>().CountAsync(t => t.UserId == user.Id && t.RevokedAt == null)).ShouldBe(1);
    }

    [Fact]
    public async Task a_job_that_died_midway_or_runs_again_finishes_the_deletion()
    {
        var (data, ids) = await FullAccountAsync("Half-deleted chart");
        var needles = AccountLeftovers.Forms([.. ids]).Append(data.User.Email).ToList();
        // The first run got as far as the files, then its instance died: the files are gone, everything else is there.
        (await AccountFiles.DeleteAsync(Storage, data.User.Id, default)).ShouldBe(3);
        (await AccountLeftovers.InStorageAsync(app, needles)).ShouldBeEmpty();

        // The message is delivered again (here: handled directly, as the durable inbox would on another instance).
        await app.Host.InvokeMessageAndWaitAsync(new DeleteAccountData(data.User.Id, DateTimeOffset.UtcNow), 30_000);
        await NothingLeftAsync(needles);

        // And once more, with nothing left: no error, nothing changed.
        await app.Host.InvokeMessageAndWaitAsync(new DeleteAccountData(data.User.Id, DateTimeOffset.UtcNow), 30_000);
        await NothingLeftAsync(needles);
    }

    [Fact]
    public void every_registered_document_type_that_a_user_owns_is_deleted_with_the_account()
    {
        var types = OwnedDocumentTypes.Of(app.Store).Select(t => t.Name).ToList();
        foreach (var expected in new[] { "DataSource", "Chart", "ExportJob", "Integration", "PublishJob", "WebhookSubscription",
                     "WebhookDelivery", "RefreshToken", "AuditEntry" })
            types.ShouldContain(expected);
        types.ShouldNotContain("User"); // deleted last, on its own
    }
}
