using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Auth;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Auth;

/// <summary>The canonical form itself: a pure function, checked without the app.</summary>
public sealed class EmailCanonicalizationTests
{
    [Theory]
    [InlineData("ａｄａ@ｅｘａｍｐｌｅ.ｃｏｍ", "ada@example.com", "ada@example.com")] // fullwidth letters and at sign
    [InlineData("\u212Aate@example.com", "Kate@example.com", "kate@example.com")] // Kelvin sign → K → k
    [InlineData("  Ada@Example.COM ", "Ada@Example.COM", "ada@example.com")]
    [InlineData("ﬁnn@example.com", "finn@example.com", "finn@example.com")] // ligature
    public void compatibility_forms_fold_to_one_ascii_key_and_the_display_keeps_the_typed_case(string input, string display, string key)
    {
        var (address, error) = EmailCanonicalization.Canonicalize(input);
        error.ShouldBeNull();
        address.ShouldBe(new EmailCanonicalization.Canonical(display, key));
    }

    [Theory]
    [InlineData("ka\u200Bte@example.com")] // zero-width space
    [InlineData("ka\u200Cte@example.com")] // zero-width non-joiner
    [InlineData("ka\u200Dte@example.com")] // zero-width joiner
    [InlineData("ka\u2060te@example.com")] // word joiner
    [InlineData("ka\u00ADte@example.com")] // soft hyphen
    [InlineData("\uFEFFkate@example.com")] // byte-order mark
    [InlineData("kate\u200F@example.com")] // right-to-left mark
    [InlineData("kate@\u202Eelpmaxe.com")] // right-to-left override
    [InlineData("ka\tte@example.com")] // control character
    public void invisible_and_direction_control_characters_are_refused(string input)
    {
        var (address, error) = EmailCanonicalization.Canonicalize(input);
        address.ShouldBeNull();
        error.ShouldBe(EmailCanonicalization.InvisibleCharacterMessage);
    }

    [Theory]
    [InlineData("k\u0430te@example.com")] // Cyrillic а among Latin letters
    [InlineData("kate@ex\u0430mple.com")] // Cyrillic а in the domain
    [InlineData("josé@example.com")]
    [InlineData("用户@例子.公司")]
    [InlineData("kate@example.com\uD800")] // a lone surrogate
    public void addresses_that_are_not_ascii_after_nfkc_are_refused_saying_so(string input)
    {
        var (address, error) = EmailCanonicalization.Canonicalize(input);
        address.ShouldBeNull();
        error.ShouldBe(EmailCanonicalization.NonAsciiMessage);
        error.ShouldContain("ASCII");
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("a@b..c")]
    [InlineData("a b@example.com")]
    [InlineData("")]
    public void malformed_addresses_are_refused(string input) =>
        EmailCanonicalization.Canonicalize(input).Error.ShouldBe(EmailCanonicalization.InvalidFormatMessage);
}

/// <summary>The canonical form through the API: one account per address, however it is typed.</summary>
[Collection(ApiCollection.Name)]
public sealed class EmailCanonicalizationEndpointTests(AppFixture app)
{
    static string Unique() => Guid.NewGuid().ToString("N")[..12];

    async Task<(int Status, JsonNode Body)> Register(string email, string password = "correct horse 42")
    {
        var response = await app.Client().PostAsync("/api/auth/register",
            System.Net.Http.Json.JsonContent.Create(new { email, password, first_name = "Kate", last_name = "Bush" }));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    async Task<(int Status, JsonNode Body)> Login(string email, string password)
    {
        var response = await app.Client().PostAsync("/api/auth/login", System.Net.Http.Json.JsonContent.Create(new { email, password }));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public static TheoryData<string, string> InvisibleForms => new()
    {
        { "zero-width space", "ka\u200Bte" },
        { "zero-width non-joiner", "ka\u200Cte" },
        { "zero-width joiner", "ka\u200Dte" },
        { "word joiner", "ka\u2060te" },
        { "soft hyphen", "ka\u00ADte" },
        { "byte-order mark", "\uFEFFkate" },
        { "right-to-left mark", "kate\u200F" },
        { "right-to-left override", "\u202Ekate" },
    };

    [Theory]
    [MemberData(nameof(InvisibleForms))]
    public async Task an_address_with_an_invisible_character_is_refused_with_422_naming_email_and_no_account_is_made(string form, string local)
    {
        var domain = $"{Unique()}.example.com";
        var (status, body) = await Register($"{local}@{domain}");
        status.ShouldBe(422, form);
        var errors = body.ShouldBeProblem(422)["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["email"]);
        errors["email"]![0]!.GetValue<string>().ShouldBe(EmailCanonicalization.InvisibleCharacterMessage);

        // The plain address is still free: nothing was stored under any key.
        (await Register($"kate@{domain}")).Status.ShouldBe(201, form);
    }

    [Fact]
    public async Task a_cyrillic_a_in_a_latin_address_is_refused_with_422_saying_addresses_must_be_ascii()
    {
        var domain = $"{Unique()}.example.com";
        var (status, body) = await Register($"k\u0430te@{domain}");
        status.ShouldBe(422);
        var message = body.ShouldBeProblem(422)["errors"]!["email"]![0]!.GetValue<string>();
        message.ShouldBe(EmailCanonicalization.NonAsciiMessage);
        message.ShouldContain("internationalised addresses");
        (await Register($"kate@{domain}")).Status.ShouldBe(201);
    }

    [Fact]
    public async Task a_fullwidth_address_is_the_same_account_as_its_ascii_form()
    {
        var local = "ada" + Unique();
        var fullwidth = string.Concat(local.Select(c => (char)(c + 0xFEE0))) + "＠example.com";
        var (status, body) = await Register(fullwidth);
        status.ShouldBe(201);
        body["user"]!["email"]!.GetValue<string>().ShouldBe($"{local}@example.com");

        var duplicate = await Register($"{local.ToUpperInvariant()}@example.com");
        duplicate.Status.ShouldBe(409);
        duplicate.Body.ShouldBeProblem(409)["title"]!.GetValue<string>().ShouldBe("Email already registered");

        foreach (var spelling in new[] { $"{local}@example.com", fullwidth })
        {
            var (loginStatus, tokens) = await Login(spelling, "correct horse 42");
            loginStatus.ShouldBe(200, spelling);
            var me = await (await app.Client(tokens["access_token"]!.GetValue<string>()).GetAsync("/api/auth/me")).JsonAsync();
            me["id"]!.GetValue<string>().ShouldBe(body["user"]!["id"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task a_kelvin_sign_address_is_stored_as_plain_kate_so_the_real_kate_gets_409_and_logs_into_that_one_account()
    {
        var domain = $"{Unique()}.example.com";
        var (status, body) = await Register($"\u212Aate@{domain}", "first registrant pw");
        status.ShouldBe(201);
        var user = body["user"]!;
        user["email"]!.GetValue<string>().ShouldBe($"Kate@{domain}"); // ASCII K: what is shown is where mail goes
        await using (var session = app.Store.QuerySession())
        {
            var stored = await session.LoadAsync<User>(Guid.Parse(user["id"]!.GetValue<string>()));
            stored!.Email.ShouldBe($"Kate@{domain}");
            stored.NormalizedEmail.ShouldBe($"kate@{domain}");
        }

        var real = await Register($"kate@{domain}", "the real kate's pw");
        real.Status.ShouldBe(409);
        real.Body.ShouldBeProblem(409)["detail"]!.GetValue<string>().ShouldBe("An account with this email already exists.");

        // One address, one account: either spelling signs into it, and only with its password.
        foreach (var spelling in new[] { $"kate@{domain}", $"\u212Aate@{domain}", $"KATE@{domain}" })
        {
            var (loginStatus, tokens) = await Login(spelling, "first registrant pw");
            loginStatus.ShouldBe(200, spelling);
            var me = await (await app.Client(tokens["access_token"]!.GetValue<string>()).GetAsync("/api/auth/me")).JsonAsync();
            me["id"]!.GetValue<string>().ShouldBe(user["id"]!.GetValue<string>());
            me["email"]!.GetValue<string>().ShouldBe($"Kate@{domain}");
        }
        (await Login($"kate@{domain}", "the real kate's pw")).Status.ShouldBe(401);
    }

    [Fact]
    public async Task login_refuses_an_address_with_an_invisible_character_with_422_naming_email()
    {
        var user = await app.RegisterAsync();
        var (status, body) = await Login(user.Email.Insert(2, "\u200B"), user.Password);
        status.ShouldBe(422);
        body.ShouldBeProblem(422)["errors"]!["email"]![0]!.GetValue<string>().ShouldBe(EmailCanonicalization.InvisibleCharacterMessage);
    }

    [Fact]
    public async Task the_start_up_migration_rewrites_old_keys_and_reports_collisions_and_refusals_by_user_id()
    {
        var unique = Unique();
        var now = DateTimeOffset.UtcNow;
        // Stored the way registration did before canonicalisation: trimmed and lower-cased only.
        User Legacy(string email) => new()
        {
            Id = Guid.CreateVersion7(), Email = email, NormalizedEmail = email.Trim().ToLowerInvariant(),
            PasswordHash = "$2a$04$legacy", FirstName = "Old", LastName = "User", CreatedAt = now, UpdatedAt = now,
        };
        var fullwidthOnly = Legacy($"ｆｕｌｌ{unique}@example.com");
        var kelvin = Legacy($"\u212Aelvin{unique}@example.com");
        var ascii = Legacy($"taken{unique}@example.com");
        var fullwidthTwin = Legacy($"ｔａｋｅｎ{unique}@example.com");
        var zeroWidth = Legacy($"zero\u200B{unique}@example.com");
        await using (var session = app.Store.LightweightSession())
        {
            session.Store(fullwidthOnly, kelvin, ascii, fullwidthTwin, zeroWidth);
            await session.SaveChangesAsync();
        }

        var report = await EmailKeyMigration.RunAsync(app.Store, CancellationToken.None);

        report.Rewritten.ShouldBe([fullwidthOnly.Id, kelvin.Id], ignoreOrder: true);
        report.Collisions.ShouldBe([(fullwidthTwin.Id, ascii.Id)]);
        report.Refused.ShouldBe([zeroWidth.Id]);
        await using (var session = app.Store.QuerySession())
        {
            var rewritten = await session.LoadAsync<User>(fullwidthOnly.Id);
            rewritten!.Email.ShouldBe($"full{unique}@example.com");
            rewritten.NormalizedEmail.ShouldBe($"full{unique}@example.com");
            (await session.LoadAsync<User>(kelvin.Id))!.Email.ShouldBe($"Kelvin{unique}@example.com");
            (await session.LoadAsync<User>(fullwidthTwin.Id))!.NormalizedEmail.ShouldBe($"ｔａｋｅｎ{unique}@example.com"); // left for a person
        }

        // Idempotent: the second pass changes nothing and reports the same open cases.
        var again = await EmailKeyMigration.RunAsync(app.Store, CancellationToken.None);
        again.Rewritten.ShouldBeEmpty();
        again.Collisions.ShouldBe(report.Collisions);
        again.Refused.ShouldBe(report.Refused);

        // The rewritten account now owns its canonical address: a look-alike registration is a 409.
        (await Register($"full{unique}@example.com")).Status.ShouldBe(409);
    }
}
