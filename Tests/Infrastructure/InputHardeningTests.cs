using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// Input that used to reach PostgreSQL or integer arithmetic and come back as a 500: NUL and other control
/// characters in any stored string, and numbers past what a list or a preview can mean.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InputHardeningTests(AppFixture app)
{
    const string WithNul = "Sales\u0000report";

    /// <summary>Every string field of every JSON request body the OpenAPI document describes, as (method, path, field).</summary>
    async Task<List<(string Method, string Path, string Field, JsonObject Body)>> StringFieldsOfEveryBody()
    {
        var doc = await (await app.Client().GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var cases = new List<(string, string, string, JsonObject)>();
        foreach (var (path, operations) in doc["paths"]!.AsObject())
        foreach (var (method, operation) in operations!.AsObject())
        {
            if (operation!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() is not { } reference) continue;
            var concretePath = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", Guid.NewGuid().ToString());
            foreach (var (field, body) in StringFields(schemas, Resolve(schemas, reference), prefix: ""))
                cases.Add((method.ToUpperInvariant(), concretePath, field, body));
        }
        return cases;
    }

    static JsonObject Resolve(JsonObject schemas, string reference) => schemas[reference.Split('/').Last()]!.AsObject();

    /// <summary>(field path, a body that sets just that field to a string with NUL).</summary>
    static IEnumerable<(string Field, JsonObject Body)> StringFields(JsonObject schemas, JsonObject schema, string prefix)
    {
        foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
        {
            var field = prefix + name;
            var reference = property!["$ref"]?.GetValue<string>() ?? property["allOf"]?[0]?["$ref"]?.GetValue<string>()
                            ?? property["oneOf"]?[0]?["$ref"]?.GetValue<string>();
            var shapes = property["oneOf"]?.AsArray().Select(b => b?["type"]?.GetValue<string>()).ToList() ?? [];
            if (name == "config")
            {
                // Create takes a typed config; update takes a merge patch of the same keys (documented as a map).
                reference = "#/components/schemas/ChartRequestConfig";
            }
            if (shapes.Contains("string") && shapes.Contains("array"))
            {
                // A name or a list (y_column, color_scheme): both shapes.
                yield return (field, Nest(prefix, name, JsonValue.Create(WithNul)));
                yield return (field, Nest(prefix, name, new JsonArray("#ffffff", WithNul)));
            }
            else if (reference is not null)
            {
                foreach (var (inner, body) in StringFields(schemas, Resolve(schemas, reference), field + "."))
                    yield return (inner, body);
            }
            else if (property["type"]?.GetValue<string>() == "string")
                yield return (field, Nest(prefix, name, JsonValue.Create(WithNul)));
            else if (property["type"]?.GetValue<string>() == "array" && property["items"]?["type"]?.GetValue<string>() == "string")
                yield return (field, Nest(prefix, name, new JsonArray("fine", WithNul)));
            else if (property["type"]?.GetValue<string>() == "array" && property["items"]?["$ref"]?.GetValue<string>() is { } itemRef
                     && !itemRef.EndsWith("KeyValuePairOfStringAndJsonNode"))
                foreach (var (inner, body) in StringFields(schemas, Resolve(schemas, itemRef), field + "."))
                    yield return (inner, WrapLastInArray(body, field));
        }
    }

    /// <summary>{"a": {"b": value}} for prefix "a." and name "b".</summary>
    static JsonObject Nest(string prefix, string name, JsonNode value)
    {
        JsonNode node = new JsonObject { [name] = value };
        foreach (var part in prefix.Split('.', StringSplitOptions.RemoveEmptyEntries).Reverse())
            node = new JsonObject { [part] = node };
        return node.AsObject();
    }

    /// <summary>Items of an array of objects: the object that holds the field becomes the array's single item.</summary>
    static JsonObject WrapLastInArray(JsonObject body, string arrayField)
    {
        var parts = arrayField.Split('.');
        JsonNode parent = body;
        foreach (var part in parts[..^1]) parent = parent[part]!;
        var item = parent[parts[^1]]!;
        parent.AsObject().Remove(parts[^1]);
        parent[parts[^1]] = new JsonArray(item);
        return body;
    }

    [Fact]
    public async Task a_nul_in_any_string_field_of_any_request_body_is_422_naming_that_field()
    {
        // An admin: the admin-only bodies (a tier change) are refused with 403 before their fields are read otherwise.
        var user = await app.RegisterAsync(AppFixture.AdminEmail);
        var client = app.Client(user.AccessToken);
        var cases = await StringFieldsOfEveryBody();
        // The sweep must really cover the bodies: auth, charts (with their config), exports, webhooks, newsletters.
        cases.Select(c => c.Field).ShouldContain("email");
        cases.Select(c => c.Field).ShouldContain("first_name");
        cases.Select(c => c.Field).ShouldContain("title");
        cases.Select(c => c.Field).ShouldContain("config.x_label");
        cases.Select(c => c.Field).ShouldContain("config.color_scheme");
        cases.Select(c => c.Field).ShouldContain("description");
        cases.Select(c => c.Field).ShouldContain("alt_text");
        cases.Count.ShouldBeGreaterThan(30);

        var failures = new List<string>();
        foreach (var (method, path, field, body) in cases)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var errors = (int)response.StatusCode == 422 ? JsonNode.Parse(text)?["errors"]?.AsObject() : null;
            if (errors?[field]?[0]?.GetValue<string>() is not { } message || !message.Contains("U+0000"))
                failures.Add($"{method} {path} {field}: {(int)response.StatusCode} {text}");
        }
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_refused_title_stores_nothing_and_a_refused_registration_creates_no_account()
    {
        var user = await app.RegisterAsync();
        var source = await app.UploadOkAsync(user, "region,units\nNorth,3\nSouth,5\n");
        var create = await app.Client(user.AccessToken).PostAsync("/api/charts", new StringContent(new JsonObject
        {
            ["data_source_id"] = source["data_source_id"]!.GetValue<string>(), ["chart_type"] = "bar", ["title"] = WithNul,
            ["config"] = new JsonObject { ["x_column"] = "region", ["y_column"] = "units" },
        }.ToJsonString(), Encoding.UTF8, "application/json"));
        ((int)create.StatusCode).ShouldBe(422);
        (await create.JsonAsync()).ShouldBeProblem(422)["errors"]!["title"]![0]!.GetValue<string>()
            .ShouldBe("must not contain control characters (found U+0000)");
        (await (await app.Client(user.AccessToken).GetAsync("/api/charts")).JsonAsync())["total"]!.GetValue<int>().ShouldBe(0);

        var email = $"nul-{Guid.NewGuid():N}@example.com";
        var register = await app.Client().PostAsync("/api/auth/register", new StringContent(new JsonObject
        {
            ["email"] = email, ["password"] = "correct horse 42", ["first_name"] = "Ka\u0000te",
        }.ToJsonString(), Encoding.UTF8, "application/json"));
        ((int)register.StatusCode).ShouldBe(422);
        var login = await app.Client().PostAsync("/api/auth/login", new StringContent(
            new JsonObject { ["email"] = email, ["password"] = "correct horse 42" }.ToJsonString(), Encoding.UTF8, "application/json"));
        login.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("""{"title":"tab\there, new\nline and\r\nreturn"}""", null)]
    [InlineData("""{"title":"nul\u0000"}""", "title")]
    [InlineData("""{"title":"escape \u001b[31m"}""", "title")]
    [InlineData("""{"title":"delete \u007f"}""", "title")]
    [InlineData("""{"title":"c1 \u0085"}""", "title")]
    [InlineData("""{"title":"lone \ud800 surrogate"}""", "title")]
    [InlineData("""{"config":{"x_label":"a\u0000"}}""", "config.x_label")]
    [InlineData("""{"config":{"color_scheme":["#fff","\u0000"]}}""", "config.color_scheme")]
    [InlineData("""{"items":[{"chart_id":"x","format":"p\u0000ng"}]}""", "items.format")]
    [InlineData("""["a\u0000"]""", "body")]
    [InlineData("""{"title": "unterminated""", null)] // not JSON: left to the binder's 400
    public void control_characters_are_found_with_the_path_of_their_field(string json, string? field)
    {
        var errors = ControlCharacterGuardMiddleware.FindControlCharacters(Encoding.UTF8.GetBytes(json));
        if (field is null) errors.ShouldBeEmpty();
        else errors.Keys.ShouldBe([field]);
    }

    public static TheoryData<string> QueriesPastTheirBounds() => new()
    {
        "/api/charts?page=2147483647",
        "/api/charts?page=1000001",
        "/api/charts?page=-2147483648",
        "/api/charts?page_size=2147483647",
        "/api/data/sources?page=2147483647",
        "/api/webhooks?page=2147483647",
        "/api/webhooks/{webhook}/deliveries?page=2147483647",
        "/api/data/sources/{source}/preview?offset=2147483647",
        "/api/data/sources/{source}/preview?offset=2147483000&limit=1000",
        "/api/data/sources/{source}/preview?limit=2147483647",
        "/api/charts?page=99999999999999999999",
    };

    [Theory]
    [MemberData(nameof(QueriesPastTheirBounds))]
    public async Task numbers_past_their_bounds_in_a_query_are_400_naming_the_parameter(string query)
    {
        var user = await app.RegisterAsync();
        var source = await app.UploadOkAsync(user, "region,units\nNorth,3\nSouth,5\n");
        var client = app.Client(user.AccessToken);
        var webhook = await client.PostAsync("/api/webhooks", new StringContent(
            """{"url":"https://hooks.example.com/in","events":["chart.created"]}""", Encoding.UTF8, "application/json"));
        var webhookId = (await webhook.JsonAsync())["webhook_id"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        var url = query.Replace("{source}", source["data_source_id"]!.GetValue<string>()).Replace("{webhook}", webhookId);

        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(400, text);
        var parameter = query.Split('?')[1].Split('=')[0];
        var errors = JsonNode.Parse(text)!.ShouldBeProblem(400)["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldContain(parameter);
    }

    [Fact]
    public async Task the_last_allowed_page_is_an_empty_page_with_the_real_total()
    {
        var user = await app.RegisterAsync();
        var response = await app.Client(user.AccessToken).GetAsync($"/api/charts?page={PageRequest.MaxPage}&page_size=100");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.JsonAsync();
        body["items"]!.AsArray().Count.ShouldBe(0);
        body["total"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task every_integer_field_of_every_request_body_at_int_max_is_refused_without_a_500()
    {
        var user = await app.RegisterAsync();
        var client = app.Client(user.AccessToken);
        var doc = await (await app.Client().GetAsync("/swagger/v1/swagger.json")).JsonAsync();
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var tried = new List<string>();
        var failures = new List<string>();
        foreach (var (path, operations) in doc["paths"]!.AsObject())
        foreach (var (method, operation) in operations!.AsObject())
        {
            if (operation!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() is not { } reference) continue;
            var properties = Resolve(schemas, reference)["properties"]?.AsObject() ?? [];
            foreach (var (name, property) in properties)
            {
                if (property!["type"]?.GetValue<string>() != "integer") continue;
                var concretePath = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", Guid.NewGuid().ToString());
                var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), concretePath)
                {
                    Content = new StringContent(new JsonObject { [name] = int.MaxValue }.ToJsonString(), Encoding.UTF8, "application/json"),
                };
                var response = await client.SendAsync(request);
                tried.Add($"{method} {path} {name}");
                if ((int)response.StatusCode is < 400 or >= 500)
                    failures.Add($"{method} {path} {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        tried.ShouldContain(t => t.Contains("/api/export/image") && t.EndsWith("width"));
        failures.ShouldBeEmpty();
    }
}
