using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChartCraft.Tests.Support;

/// <summary>
/// The calls a frontend makes, against an app running as a process (a migrated production instance, a cluster member)
/// rather than the in-memory test host; each checks its status so a failure names the step.
/// </summary>
public static class LiveApi
{
    public static async Task<string> RegisterAsync(this HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/auth/register", new
        {
            email = $"live-{Guid.NewGuid():N}@example.com", password = "correct horse battery", first_name = "Live", last_name = "User",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>
    /// Registers and verifies the email the way its owner does: the link of the verification mail, read from the
    /// instances' .eml folder (MAIL_DROP_PATH; no SMTP_URL). Returns the access token.
    /// </summary>
    public static async Task<string> RegisterVerifiedAsync(this HttpClient client, string mailDrop)
    {
        var email = $"live-{Guid.NewGuid():N}@example.com";
        var response = await client.PostAsJsonAsync("/api/auth/register", new
        {
            email, password = "correct horse battery", first_name = "Live", last_name = "User",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var token = await VerificationTokenAsync(mailDrop, email);
        var verified = await client.PostAsJsonAsync("/api/auth/verify-email", new { token });
        verified.StatusCode.ShouldBe(HttpStatusCode.NoContent, await verified.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    static async Task<string> VerificationTokenAsync(string mailDrop, string email)
    {
        for (var i = 0; i < 300; i++)
        {
            foreach (var file in Directory.Exists(mailDrop) ? Directory.EnumerateFiles(mailDrop, "*.eml") : [])
            {
                var mail = await MimeKit.MimeMessage.LoadAsync(file);
                if (mail.To.Mailboxes.Any(m => m.Address == email)
                    && System.Text.RegularExpressions.Regex.Match(mail.TextBody, @"/verify-email\?token=([A-Za-z0-9_-]+)") is { Success: true } link)
                    return link.Groups[1].Value;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no verification mail for {email} in {mailDrop}");
    }

    public static HttpClient WithToken(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Uploads Tests/Data/VegaDatasets/barley.csv (120 rows; yield, variety, year, site) and returns the source id.</summary>
    public static async Task<string> UploadBarleyAsync(this HttpClient client)
    {
        var csv = await File.ReadAllBytesAsync(VegaDatasets.PathOf("barley.csv"));
        var upload = await client.PostAsync("/api/data/upload", Uploads.Form(csv, "barley.csv"));
        upload.StatusCode.ShouldBe(HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        return (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data_source_id").GetString()!;
    }

    /// <summary>A bar chart of the barley yield by site (6 bars); returns the chart id.</summary>
    public static async Task<string> CreateYieldChartAsync(this HttpClient client, string sourceId, string title = "Yield by site")
    {
        var created = await client.PostAsJsonAsync("/api/charts", YieldChart(sourceId, title));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chart_id").GetString()!;
    }

    public static object YieldChart(string sourceId, string title) => new
    {
        data_source_id = sourceId, chart_type = "bar", title, generate_insights = false,
        config = new { x_column = "site", y_column = "yield", aggregation = "sum" },
    };

    /// <summary>Polls /health/ready until it answers 200, the process exits, or about a minute passes.</summary>
    public static async Task<bool> WaitUntilReadyAsync(this HttpClient client, System.Diagnostics.Process process)
    {
        for (var i = 0; i < 240 && !process.HasExited; i++)
        {
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        return false;
    }
}
