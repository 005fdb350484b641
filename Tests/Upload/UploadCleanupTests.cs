using ChartCraft.Features.Upload;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// An upload stores its file before it saves its document and outbox message; when that last step fails the file
/// must go too. The app reaches PostgreSQL through a relay that the test cuts after registering the user: the upload
/// is read and stored (nothing before the save needs the database) and fails only when it commits.
/// </summary>
public sealed class UploadCleanupTests
{
    [Fact]
    public async Task an_upload_whose_document_cannot_be_saved_leaves_no_file_in_storage()
    {
        await using var relay = RelayedDatabaseFixture.NewRelay();
        var app = new RelayedDatabaseFixture(relay);
        await app.InitializeAsync();
        try
        {
            var user = await app.RegisterAsync();
            var userFolder = Path.Combine(app.StoragePath, "uploads", user.Id.ToString("N"));

            relay.Cut();
            var response = await app.UploadAsync(user, Uploads.SalesCsv(), "sales.csv");

            ((int)response.StatusCode).ShouldBe(503, await response.Content.ReadAsStringAsync());
            (await response.JsonAsync()).ShouldBeProblem(503);
            // The folder is made when the file is stored: the failure came after the file was stored, and the file is gone.
            Directory.Exists(userFolder).ShouldBeTrue("the upload never reached storage, so this test proves nothing");
            Directory.GetFiles(userFolder, "*", SearchOption.AllDirectories).ShouldBeEmpty();

            relay.Start();
            await WaitForDatabaseAsync(app, user);
            await using var session = app.Store.QuerySession();
            (await session.Query<DataSource>().CountAsync(s => s.UserId == user.Id)).ShouldBe(0);
        }
        finally
        {
            relay.Start(); // let the host stop cleanly even if an assertion failed mid-outage
            await app.DisposeAsync();
        }
    }

    /// <summary>Pooled connections that died in the outage are dropped as they are found; within seconds it serves again.</summary>
    static async Task WaitForDatabaseAsync(AppFixture app, TestUser user)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await app.Client(user.AccessToken).GetAsync("/api/data/sources")).StatusCode != System.Net.HttpStatusCode.OK
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
    }
}
