using System.Net;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The app reaches PostgreSQL through a relay the test can cut: while the database is unreachable, requests that
/// need it get 503 (a dependency down, per API.md) with Retry-After, never a 500; once it is back they work again.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task requests_needing_the_database_get_503_while_it_is_unreachable_and_work_again_after()
    {
        await using var relay = RelayedDatabaseFixture.NewRelay();
        var app = new RelayedDatabaseFixture(relay);
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            (await app.Client(user.AccessToken).GetAsync("/api/data/sources")).StatusCode.ShouldBe(HttpStatusCode.OK);

            relay.Cut();

            var down = await app.Client(user.AccessToken).GetAsync("/api/data/sources");
            ((int)down.StatusCode).ShouldBe(503);
            down.Headers.GetValues("Retry-After").Single().ShouldBe("5");
            var problem = (await down.JsonAsync()).ShouldBeProblem(503);
            problem["detail"]!.GetValue<string>().ShouldBe("The database cannot be reached right now; try again in a few seconds.");
            problem.ToJsonString().ShouldNotContain("Npgsql");
            var login = await app.Client().PostAsync("/api/auth/login",
                System.Net.Http.Json.JsonContent.Create(new { email = user.Email, password = user.Password }));
            ((int)login.StatusCode).ShouldBe(503);

            relay.Start();
            // Pooled connections that died in the outage are dropped as they are found; within seconds it serves again.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            HttpResponseMessage back;
            while ((back = await app.Client(user.AccessToken).GetAsync("/api/data/sources")).StatusCode != HttpStatusCode.OK
                   && DateTime.UtcNow < deadline)
            {
                ((int)back.StatusCode).ShouldBe(503);
                await Task.Delay(200);
            }
            back.StatusCode.ShouldBe(HttpStatusCode.OK, await back.Content.ReadAsStringAsync());
        }
        finally
        {
            relay.Start(); // let the host stop cleanly even if an assertion failed mid-outage
            await app.DisposeAsync();
        }
    }
}
