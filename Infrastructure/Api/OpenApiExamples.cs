using Microsoft.AspNetCore.WebUtilities;
using Newtonsoft.Json.Linq;

namespace ChartCraft.Infrastructure.Api;

/// <summary>
/// One realistic example per request and response type of the API, as the app serializes it (snake_case), for the
/// OpenAPI document. A new endpoint adds its request and response types' examples to the area they belong to
/// (OpenApiExamples.Auth.cs, .Account.cs, .DataSources.cs, .Charts.cs, .Templates.cs, .Export.cs, .Integrations.cs; a new
/// area is listed in <see cref="ByType"/>). OpenApiDocumentTests names every operation whose body still lacks one and
/// checks that each example reads back into its type. Lists, pages and Problem Details are composed here and need no entry.
/// </summary>
public static partial class OpenApiExamples
{
    /// <summary>The example for a body of <paramref name="type"/> (status 0 for a request), or null when none is registered.</summary>
    public static JToken? For(Type type, int status)
    {
        if (type == typeof(ApiProblem) || type == typeof(Problems.ValidationProblem))
            return Problem(status, validation: type != typeof(ApiProblem));
        if (ByType.TryGetValue(type, out var json)) return JToken.Parse(json);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(PagedResponse<>))
            return For(type.GetGenericArguments()[0], status) is { } item
                ? new JObject { ["items"] = new JArray(item), ["page"] = 1, ["page_size"] = 20, ["total"] = 1 }
                : null;
        if (ItemTypeOf(type) is { } itemType)
            return For(itemType, status) is { } element ? new JArray(element) : null;
        return null;
    }

    /// <summary>Types whose example is registered as JSON text, for OpenApiDocumentTests to read back.</summary>
    public static IReadOnlyDictionary<Type, string> Registered => ByType;

    // Built on first use: the areas live in other files of this partial class. A type registered twice fails here.
    static Dictionary<Type, string> ByType => byType.Value;
    static readonly Lazy<Dictionary<Type, string>> byType =
        new(() => new[] { Auth, Account, DataSources, Charts, Templates, Export, Integrations }.SelectMany(area => area).ToDictionary());

    static Type? ItemTypeOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable<>).MakeGenericType(item).IsAssignableFrom(type) ? item
        : null;

    /// <summary>Only <paramref name="fields"/> of the example <paramref name="json"/>, for a type that shows part of another's example.</summary>
    static string Pick(string json, params string[] fields)
    {
        var example = JObject.Parse(json);
        return new JObject(fields.Select(field => new JProperty(field, example[field]))).ToString();
    }

    /// <summary>The Problem Details body of <paramref name="status"/>; 400 and 422 list the fields at fault.</summary>
    static JObject Problem(int status, bool validation)
    {
        var title = ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
        var problem = new JObject
        {
            ["type"] = $"https://httpstatuses.io/{status}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = ProblemDetail(status),
            ["instance"] = "/api/charts",
            ["trace_id"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        };
        if (validation && status is 400 or 422)
            problem["errors"] = new JObject { ["y_column"] = new JArray("Column 'revenue' does not exist; columns are: month, region, sales") };
        return problem;
    }

    static string ProblemDetail(int status) => status switch
    {
        400 => "The request body is not valid JSON.",
        401 => "The access token is missing, expired or revoked.",
        403 => "You are not allowed to do this.",
        404 => "Not found, or it belongs to another user.",
        409 => "An account with this email already exists.",
        410 => "Request a new export link.",
        413 => "The file is larger than MAX_FILE_SIZE_MB (50 MB).",
        415 => "Only .csv, .tsv, .txt and .xlsx files are accepted.",
        422 => "One or more fields are invalid.",
        429 => "Too many requests; retry after the number of seconds in Retry-After.",
        503 => "A dependency is unavailable; /health/ready says which.",
        _ => "Something went wrong; quote the trace_id when reporting it.",
    };
}
