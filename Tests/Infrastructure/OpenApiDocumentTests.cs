using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Infrastructure;

/// <summary>
/// The OpenAPI document is the contract a frontend generates its client from: every operation says how it is
/// authenticated, every body has an example, and free-form JSON is described as JSON, not as .NET types.
/// The document fetched here is also written to OPENAPI_DOC_PATH, which ./test.sh lints with Redocly and
/// turns into the TypeScript client of Tests/ApiClientCheck.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(AppFixture app)
{
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    async Task<JsonObject> DocumentAsync()
    {
        var text = await app.Client().GetStringAsync("/swagger/v1/swagger.json");
        return JsonNode.Parse(text)!.AsObject();
    }

    static IEnumerable<(string Name, JsonObject Operation)> Operations(JsonObject doc) =>
        from path in doc["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select ($"{method.Key.ToUpperInvariant()} {path.Key}", method.Value!.AsObject());

    /// <summary>"POST /api/x: 201 application/json (ChartResponse)" for each body without an example.</summary>
    static IEnumerable<string> BodiesWithoutExample(string name, JsonObject operation)
    {
        foreach (var (mediaType, content) in operation["requestBody"]?["content"]?.AsObject() ?? [])
            if (content!["example"] is null) yield return $"{name}: request {mediaType} ({SchemaName(content)})";
        foreach (var (status, response) in operation["responses"]!.AsObject())
        foreach (var (mediaType, content) in response!["content"]?.AsObject() ?? [])
            if (content!["example"] is null && (status.StartsWith('2') || mediaType == "application/problem+json"))
                yield return $"{name}: {status} {mediaType} ({SchemaName(content)})";
    }

    static string SchemaName(JsonNode content) =>
        content["schema"]?["$ref"]?.GetValue<string>().Split('/').Last() ?? content["schema"]?.ToJsonString() ?? "no schema";

    [Fact]
    public async Task every_request_body_success_response_and_problem_has_an_example()
    {
        var missing = Operations(await DocumentAsync()).SelectMany(o => BodiesWithoutExample(o.Name, o.Operation)).ToList();
        missing.ShouldBeEmpty(
            "Add an example for each type named below to Infrastructure/Api/OpenApiExamples.<area>.cs " +
            "(lists, pages and Problem Details need none):\n  " + string.Join("\n  ", missing));
    }

    [Fact]
    public async Task every_operation_says_how_it_is_authenticated()
    {
        var doc = await DocumentAsync();
        var operations = Operations(doc).ToList();
        operations.Where(o => o.Operation["security"] is not JsonArray).Select(o => o.Name)
            .ShouldBeEmpty("every operation needs a security entry: the bearer scheme, or [] when public");
        string Security(string name) => operations.Single(o => o.Name == name).Operation["security"]!.ToJsonString();
        Security("POST /api/auth/register").ShouldBe("[]");
        Security("POST /api/auth/login").ShouldBe("[]");
        Security("GET /health").ShouldBe("[]");
        Security("GET /api/public/charts/{chart_id}").ShouldBe("[]");
        Security("GET /api/files/{key}").ShouldBe("[]");
        Security("GET /api/charts").ShouldBe($$"""[{"{{OpenApiContract.BearerScheme}}":[]}]""");
        Security("POST /api/data/upload").ShouldBe($$"""[{"{{OpenApiContract.BearerScheme}}":[]}]""");
        doc["security"].ShouldBeNull("no requirement applies to every operation");
    }

    [Fact]
    public async Task free_form_json_is_a_json_object_not_a_dotnet_type()
    {
        var doc = await DocumentAsync();
        var schemas = doc["components"]!["schemas"]!.AsObject();
        foreach (var owner in new[] { "ChartResponse", "PublicChartResponse" })
        {
            var chartConfig = schemas[owner]!["properties"]!["chart_config"]!;
            chartConfig["type"]!.GetValue<string>().ShouldBe("object", owner);
            chartConfig["additionalProperties"].ShouldNotBeNull(owner + ": any key is allowed, and says so");
            chartConfig["additionalProperties"]!.ToJsonString().ShouldNotBe("false", owner);
            var properties = chartConfig["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
            properties.ShouldNotContain("parent");
            properties.ShouldNotContain("root");
            properties.ShouldNotContain("options");
        }
        schemas.Select(s => s.Key).Where(name => name.Contains("JsonNode") || name.Contains("JsonElement") || name.StartsWith("KeyValuePair"))
            .ShouldBeEmpty("no .NET JSON type leaks into the document");
        // One column or several; a palette name or a list of colours: both shapes, as the converters read and write them.
        var yColumn = schemas["ChartRequestConfig"]!["properties"]!["y_column"]!["oneOf"]!.AsArray();
        yColumn.Select(b => b!["type"]!.GetValue<string>()).ShouldBe(["string", "array"]);
        schemas.ContainsKey("ColorScheme").ShouldBeFalse("color_scheme is a name or a list of colours, not {name, colors}");
    }

    [Fact]
    public async Task the_catch_all_download_route_is_a_plain_path_parameter()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        paths.Select(p => p.Key).Where(p => p.Contains('*')).ShouldBeEmpty();
        paths["/api/files/{key}"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldContain("key");
    }

    /// <summary>
    /// Examples are JSON text: each must read back into its type with no unknown field, and a response's example must
    /// show every field the app writes (so it cannot drift from the DTO unnoticed).
    /// </summary>
    [Fact]
    public void every_registered_example_matches_its_type()
    {
        var strict = new JsonSerializerOptions(Api.Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        var failures = new List<string>();
        foreach (var (type, json) in OpenApiExamples.Registered)
        {
            if (type.GetProperties().Any(p => p.PropertyType == typeof(Microsoft.AspNetCore.Http.IFormFile))) continue;
            try
            {
                var value = JsonSerializer.Deserialize(json, type, strict);
                if (type.Name.EndsWith("Request", StringComparison.Ordinal)) continue;
                var written = JsonSerializer.SerializeToNode(value, type, Api.Json)!.AsObject().Select(p => p.Key).ToList();
                var shown = JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToList();
                if (written.Except(shown).ToList() is { Count: > 0 } absent)
                    failures.Add($"{type.Name}: the example lacks {string.Join(", ", absent)}");
            }
            catch (JsonException ex)
            {
                failures.Add($"{type.Name}: {ex.Message}");
            }
        }
        failures.ShouldBeEmpty(string.Join("\n", failures));
    }

    [Fact]
    public async Task the_document_is_written_for_the_linter_and_the_client_check()
    {
        if (Environment.GetEnvironmentVariable("OPENAPI_DOC_PATH") is not { Length: > 0 } path) return;
        var text = await app.Client().GetStringAsync("/swagger/v1/swagger.json");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, text);
    }
}
