using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Features.Account;
using ChartCraft.Features.Export;
using ChartCraft.Tests.Export;
using ChartCraft.Tests.Support;
using ChartCraft.Tests.Upload;
using Marten;
using Wolverine.Tracking;

namespace ChartCraft.Tests.Account;

/// <summary>POST /api/account/export: a zip of everything the user owns, downloaded like any export, with no credential in it.</summary>
[Collection(AccountCollection.Name)]
public sealed class AccountExportTests(AccountAppFixture app)
{
    static async Task<Dictionary<string, byte[]>> EntriesAsync(byte[] zip)
    {
        var entries = new Dictionary<string, byte[]>();
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            await using var stream = entry.Open();
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            entries[entry.FullName] = bytes.ToArray();
        }
        return entries;
    }

    static JsonNode Json(Dictionary<string, byte[]> entries, string name) =>
        JsonNode.Parse(entries.TryGetValue(name, out var bytes) ? bytes : throw new ShouldAssertException($"{name} not in the zip: {string.Join(", ", entries.Keys)}"))!;

    [Fact]
    public async Task the_zip_holds_the_original_file_its_metadata_each_chart_with_its_history_and_no_credential_or_secret()
    {
        var data = await app.AccountWithDataAsync();
        var other = await app.AccountWithDataAsync("Someone else's chart");

        var export = await app.ExportAccountAsync(data.User);

        export["format"]!.GetValue<string>().ShouldBe("account_zip");
        export["chart_ids"]!.AsArray().ShouldBeEmpty();
        var download = await app.DownloadAsync(export["download_url"]!.GetValue<string>());
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("application/zip");
        var zip = await download.Content.ReadAsByteArrayAsync();
        export["size_bytes"]!.GetValue<long>().ShouldBe(zip.Length);
        var entries = await EntriesAsync(zip);

        // No secret anywhere: not in the zip's bytes, not in any entry once inflated.
        var secrets = new[] { data.ApiKey, data.WebhookSecret, data.WebhookSecret["whsec_".Length..], data.User.Password };
        await using (var session = app.Store.QuerySession())
        {
            var user = await session.LoadAsync<ChartCraft.Features.Auth.User>(data.User.Id);
            secrets = [.. secrets, user!.PasswordHash];
        }
        foreach (var text in entries.Values.Select(Encoding.UTF8.GetString).Append(Encoding.Latin1.GetString(zip)))
        {
            foreach (var secret in secrets) text.ShouldNotContain(secret);
            text.ShouldNotContain("protected_", Case.Insensitive);
            text.ShouldNotContain("password", Case.Insensitive);
        }

        // The original file, byte for byte, and how it was read.
        entries[$"sources/{data.SourceId}/sales.csv"].ShouldBe(Encoding.UTF8.GetBytes(Uploads.SalesCsv()));
        var source = Json(entries, $"sources/{data.SourceId}/source.json");
        source["data_source_id"]!.GetValue<Guid>().ShouldBe(data.SourceId);
        source["file_name"]!.GetValue<string>().ShouldBe("sales.csv");
        source["column_info"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ShouldContain("revenue");

        // The chart as it is now, and its whole history.
        var chart = Json(entries, $"charts/{data.ChartId}/chart.json");
        chart["title"]!.GetValue<string>().ShouldBe("Revenue by region (final)");
        chart["is_public"]!.GetValue<bool>().ShouldBeTrue();
        chart["chart_config"]!["type"]!.GetValue<string>().ShouldBe("bar");
        var history = Json(entries, $"charts/{data.ChartId}/history.json").AsArray();
        history.Select(e => e!["event"]!.GetValue<string>()).ShouldBe(["chart_created", "chart_updated"]);
        history.Select(e => e!["version"]!.GetValue<int>()).ShouldBe([1, 2]);
        history[0]!["data"]!["title"]!.GetValue<string>().ShouldBe("Revenue by region");
        history[1]!["data"]!["changes"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldContain("title");

        var integrations = Json(entries, "integrations.json").AsArray();
        integrations.Single()!["provider"]!.GetValue<string>().ShouldBe("mailchimp");
        integrations.Single()!["account_name"]!.GetValue<string>().ShouldBe("Chart Weekly");
        var webhooks = Json(entries, "webhooks.json").AsArray();
        webhooks.Single()!["webhook_id"]!.GetValue<Guid>().ShouldBe(data.WebhookId);
        webhooks.Single()!["url"]!.GetValue<string>().ShouldBe(AccountScenarios.HookUrl);
        Json(entries, "account.json")["email"]!.GetValue<string>().ShouldBe(data.User.Email);

        // Nothing of the other user.
        entries.Keys.ShouldNotContain(k => k.Contains(other.ChartId.ToString()) || k.Contains(other.SourceId.ToString()));
        entries.Values.Select(Encoding.UTF8.GetString).ShouldNotContain(t => t.Contains(other.User.Email));
    }

    [Fact]
    public async Task a_replaced_files_kept_versions_and_the_saved_templates_are_in_the_zip()
    {
        var data = await app.AccountWithDataAsync();
        var replaced = "region,revenue\nNorth,1\nSouth,2\n";
        (await app.ReplaceFileOkAsync(data.User, data.SourceId, replaced))["version"]!.GetValue<int>().ShouldBe(2);
        var template = await app.Client(data.User.AccessToken).PostAsync("/api/templates",
            System.Net.Http.Json.JsonContent.Create(new { chart_id = data.ChartId, name = "Weekly bars" }));
        template.StatusCode.ShouldBe(HttpStatusCode.Created, await template.Content.ReadAsStringAsync());

        var export = await app.ExportAccountAsync(data.User);
        var entries = await EntriesAsync(await (await app.DownloadAsync(export["download_url"]!.GetValue<string>())).Content.ReadAsByteArrayAsync());

        entries[$"sources/{data.SourceId}/data.csv"].ShouldBe(Encoding.UTF8.GetBytes(replaced));
        entries[$"sources/{data.SourceId}/versions/1/sales.csv"].ShouldBe(Encoding.UTF8.GetBytes(Uploads.SalesCsv()));
        var templates = Json(entries, "templates.json").AsArray();
        templates.Single()!["name"]!.GetValue<string>().ShouldBe("Weekly bars");
        templates.Single()!["chart_type"]!.GetValue<string>().ShouldBe("bar");
    }

    [Fact]
    public async Task the_export_is_the_owners_alone_and_a_second_request_while_one_waits_answers_that_one()
    {
        var user = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();
        var export = await app.ExportAccountAsync(user);
        var exportId = export["export_id"]!.GetValue<string>();

        var foreign = await app.Client(stranger.AccessToken).GetAsync($"/api/export/{exportId}");
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await foreign.JsonAsync()).ShouldBeProblem(404);
        (await app.Client().PostAsync("/api/account/export", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // An empty account still gets a readable zip: the profile, and empty lists.
        var entries = await EntriesAsync(await (await app.DownloadAsync(export["download_url"]!.GetValue<string>())).Content.ReadAsByteArrayAsync());
        entries.Keys.Order(StringComparer.Ordinal).ShouldBe(["README.txt", "account.json", "integrations.json", "templates.json", "webhooks.json"]);
        Json(entries, "webhooks.json").AsArray().ShouldBeEmpty();

        // One still waiting (queued by hand here, with no message to run it) is answered again instead of a second one.
        var waiting = new ExportJob { Id = Guid.CreateVersion7(), UserId = user.Id, Format = ExportFormats.AccountZip, CreatedAt = DateTimeOffset.UtcNow };
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(waiting);
            await session.SaveChangesAsync();
        }
        var again = await app.Client(user.AccessToken).PostAsync("/api/account/export", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var body = await again.JsonAsync();
        body["export_id"]!.GetValue<Guid>().ShouldBe(waiting.Id);
        body["status"]!.GetValue<string>().ShouldBe("queued");
        body["download_url"].ShouldBeNull();
        await using var query = app.Store.QuerySession();
        (await query.Query<ExportJob>().CountAsync(j => j.UserId == user.Id)).ShouldBe(2);
    }

    [Fact]
    public async Task an_account_deleted_while_its_zip_waits_gets_no_zip_and_no_job()
    {
        var user = await app.RegisterAsync();
        var job = new ExportJob { Id = Guid.CreateVersion7(), UserId = user.Id, Format = ExportFormats.AccountZip, CreatedAt = DateTimeOffset.UtcNow };
        await using (var session = app.Store.LightweightSession())
        {
            var stored = (await session.LoadAsync<ChartCraft.Features.Auth.User>(user.Id))!;
            stored.IsActive = false; // as DELETE /api/account leaves it until the deletion job has run
            session.Store(stored);
            session.Store(job);
            await session.SaveChangesAsync();
        }

        await app.Host.InvokeMessageAndWaitAsync(new BuildAccountArchive(job.Id), 30_000);

        await using var query = app.Store.QuerySession();
        (await query.LoadAsync<ExportJob>(job.Id)).ShouldBeNull();
        (await app.Storage.ListAsync($"exports/{user.Id:N}/")).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_source_whose_file_went_missing_is_still_exported_with_its_metadata()
    {
        var user = await app.RegisterAsync();
        var sourceId = await app.UploadSalesAsync(user);
        (await app.Storage.DeletePrefixAsync($"uploads/{user.Id:N}/")).ShouldBe(1);

        var export = await app.ExportAccountAsync(user);

        var entries = await EntriesAsync(await (await app.DownloadAsync(export["download_url"]!.GetValue<string>())).Content.ReadAsByteArrayAsync());
        Json(entries, $"sources/{sourceId}/source.json")["file_name"]!.GetValue<string>().ShouldBe("sales.csv");
        entries.Keys.ShouldNotContain($"sources/{sourceId}/sales.csv");
    }
}
