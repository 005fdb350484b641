using System.Text.Json.Nodes;
using Alba;
using ChartCraft.Features.Auth;
using ChartCraft.Tests.Support;
using Marten;

namespace ChartCraft.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class RegisterTests(AppFixture app)
{
    [Fact]
    public async Task register_returns_201_with_the_user_and_a_bearer_token_pair()
    {
        var email = $"Ada.{Guid.NewGuid():N}@Example.com";
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email, password = "analytical engine", first_name = "Ada", last_name = "Lovelace" })
                .ToUrl("/api/auth/register");
            s.StatusCodeShouldBe(201);
        });
        var body = await result.JsonAsync();
        body["token_type"]!.GetValue<string>().ShouldBe("bearer");
        body["expires_in"]!.GetValue<int>().ShouldBe(24 * 3600);
        body["access_token"]!.GetValue<string>().Split('.').Length.ShouldBe(3);
        body["refresh_token"]!.GetValue<string>().Length.ShouldBeGreaterThan(30);
        var user = body["user"]!;
        user["email"]!.GetValue<string>().ShouldBe(email);
        user["first_name"]!.GetValue<string>().ShouldBe("Ada");
        user["last_name"]!.GetValue<string>().ShouldBe("Lovelace");
        user["subscription_tier"]!.GetValue<string>().ShouldBe("free");
        user["is_active"]!.GetValue<bool>().ShouldBeTrue();
        user["created_at"]!.GetValue<string>().ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$");
        user.AsObject().ContainsKey("password_hash").ShouldBeFalse();
        result.Context.Response.Headers["X-Request-Id"].ToString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task password_is_stored_as_a_bcrypt_hash_never_in_plain_text()
    {
        var user = await app.RegisterAsync(password: "plain text never stored");
        await using var session = app.Store.QuerySession();
        var stored = await session.LoadAsync<User>(user.Id);
        stored!.PasswordHash.ShouldStartWith("$2");
        stored.PasswordHash.ShouldNotContain("plain text never stored");
    }

    [Fact]
    public async Task email_is_unique_ignoring_case_and_a_duplicate_gets_409()
    {
        var user = await app.RegisterAsync();
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = user.Email.ToUpperInvariant(), password = "another password", first_name = "B", last_name = "C" })
                .ToUrl("/api/auth/register");
            s.StatusCodeShouldBe(409);
        });
        (await result.JsonAsync()).ShouldBeProblem(409)["title"]!.GetValue<string>().ShouldBe("Email already registered");
        result.Context.Response.ContentType!.ShouldStartWith("application/problem+json");
    }

    [Fact]
    public async Task invalid_fields_get_422_with_errors_keyed_by_snake_case_field()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = "not-an-email", password = "short", first_name = "", last_name = "X" }).ToUrl("/api/auth/register");
            s.StatusCodeShouldBe(422);
        });
        var errors = (await result.JsonAsync()).ShouldBeProblem(422)["errors"]!.AsObject();
        errors.Select(e => e.Key).OrderBy(k => k).ShouldBe(["email", "first_name", "password"]);
        errors["password"]![0]!.GetValue<string>().ShouldContain("8 to 128");
        errors["email"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe(["must be a valid email address"]);
    }

    [Fact]
    public async Task a_password_of_7_characters_gets_422_naming_password_and_8_characters_is_enough()
    {
        var email = $"boundary{Guid.NewGuid():N}@example.com";
        var seven = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email, password = "1234567", first_name = "A", last_name = "B" }).ToUrl("/api/auth/register");
            s.StatusCodeShouldBe(422);
        });
        var errors = (await seven.JsonAsync()).ShouldBeProblem(422)["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["password"]);
        errors["password"]![0]!.GetValue<string>().ShouldBe("must be 8 to 128 characters");

        // Nothing was stored by the refusal: the same address registers with one more character.
        var eight = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email, password = "12345678", first_name = "A", last_name = "B" }).ToUrl("/api/auth/register");
            s.StatusCodeShouldBe(201);
        });
        (await eight.JsonAsync())["user"]!["email"]!.GetValue<string>().ShouldBe(email);
    }

    [Fact]
    public async Task a_password_over_128_characters_is_rejected()
    {
        await app.Host.Scenario(s =>
        {
            s.Post.Json(new { email = $"long{Guid.NewGuid():N}@example.com", password = new string('p', 129), first_name = "A", last_name = "B" })
                .ToUrl("/api/auth/register");
            s.StatusCodeShouldBe(422);
        });
    }

    [Fact]
    public async Task malformed_json_gets_400_problem_details()
    {
        var response = await app.Client().PostAsync("/api/auth/register",
            new StringContent("{\"email\": ", System.Text.Encoding.UTF8, "application/json"));
        ((int)response.StatusCode).ShouldBe(400);
        (await response.JsonAsync()).ShouldBeProblem(400);

        // JSON of the wrong shape: the field and the problem in words, never a .NET type name.
        var array = await app.Client().PostAsync("/api/auth/register", new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json"));
        var arrayText = await array.Content.ReadAsStringAsync();
        ((int)array.StatusCode).ShouldBe(400, arrayText);
        arrayText.ShouldNotContain("ChartCraft.");
        arrayText.ShouldNotContain("System.");
        System.Text.Json.Nodes.JsonNode.Parse(arrayText)!["errors"]!["body"]![0]!.GetValue<string>().ShouldBe("must be a JSON object");
        var wrongType = await app.Client().PostAsync("/api/auth/register",
            new StringContent("{\"email\": 5}", System.Text.Encoding.UTF8, "application/json"));
        var wrongTypeText = await wrongType.Content.ReadAsStringAsync();
        ((int)wrongType.StatusCode).ShouldBe(400, wrongTypeText);
        System.Text.Json.Nodes.JsonNode.Parse(wrongTypeText)!["errors"]!["email"]![0]!.GetValue<string>().ShouldBe("has the wrong type");
    }

    [Fact]
    public async Task camel_case_fields_are_not_bound_so_snake_case_is_the_only_contract()
    {
        // Raw JSON: a serializer with a naming policy would rename the properties for us.
        var json = $"{{\"email\":\"camel{Guid.NewGuid():N}@example.com\",\"password\":\"long enough\",\"firstName\":\"A\",\"lastName\":\"B\"}}";
        var response = await app.Client().PostAsync("/api/auth/register", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        ((int)response.StatusCode).ShouldBe(422);
        var errors = (await response.JsonAsync()).ShouldBeProblem(422)["errors"]!.AsObject();
        errors.ContainsKey("first_name").ShouldBeTrue();
        errors.ContainsKey("last_name").ShouldBeTrue();
    }

    [Fact]
    public async Task registration_sends_a_durable_message_whose_handler_records_an_audit_entry()
    {
        var user = await app.RegisterAsync();
        AuditEntry? entry = null;
        for (var attempt = 0; attempt < 100 && entry is null; attempt++)
        {
            await using var session = app.Store.QuerySession();
            entry = await session.Query<AuditEntry>().FirstOrDefaultAsync(a => a.UserId == user.Id);
            if (entry is null) await Task.Delay(100);
        }
        entry.ShouldNotBeNull("the UserRegistered handler did not run within 10 s");
        entry.Kind.ShouldBe("user.registered");
    }
}
