using System.Text.Json;
using FluentValidation.Results;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ChartCraft.Infrastructure.Errors;

/// <summary>
/// A failure that maps to one RFC 9457 response. Thrown from code below the endpoint (parsers,
/// chart builders) so the status and message are decided where the problem is understood.
/// </summary>
public sealed class ProblemException(int status, string title, string? detail = null,
    IDictionary<string, string[]>? errors = null) : Exception(detail ?? title)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IDictionary<string, string[]>? Errors { get; } = errors;
    /// <summary>Sent as the Retry-After header (a 429 or 503 that the client may retry later).</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Extension members of the problem (snake_case keys), e.g. which plan limit refused the request.</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }
}

/// <summary>Writes Problem Details with the project's shape: snake_case keys and <c>trace_id</c>.</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext http, int status, string title, string? detail = null,
        IDictionary<string, string[]>? errors = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null) problem.Extensions["errors"] = errors;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[key] = value;
        http.Response.StatusCode = status;
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        return service.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem }).AsTask();
    }

    public static string TypeFor(int status) => $"https://httpstatuses.io/{status}";

    /// <summary>Standard fields every problem carries, applied by ASP.NET's problem details service.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        if (problem.Type is null or "about:blank" || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            problem.Type = TypeFor(status);
        problem.Instance ??= context.HttpContext.Request.Path;
        problem.Extensions.Remove("traceId");
        problem.Extensions["trace_id"] = context.HttpContext.TraceIdentifier;
    }

    /// <summary>FastEndpoints validation failures → 422 (400 for JSON that does not parse), keys in snake_case.</summary>
    public static object FromValidationFailures(List<ValidationFailure> failures, HttpContext http, int status)
    {
        // A request without a body (GET, DELETE) can only be wrong in its query or route: a bad query is 400.
        // FastEndpoints has set the status already but not started the response, so it can still change.
        if (status == StatusCodes.Status422UnprocessableEntity && !HasBody(http.Request.Method))
        {
            status = StatusCodes.Status400BadRequest;
            http.Response.StatusCode = status;
        }
        var errors = failures
            .GroupBy(f => FieldName(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());
        var (title, detail) = (status, HasBody(http.Request.Method)) switch
        {
            (StatusCodes.Status400BadRequest, false) => ("The query is invalid", "One or more query parameters are invalid."),
            (StatusCodes.Status400BadRequest, true) => ("The request is malformed", "The request body could not be read."),
            _ => ("The request is invalid", "One or more fields are invalid."),
        };
        return new ValidationProblem(TypeFor(status), title, status, detail, http.Request.Path, http.TraceIdentifier, errors);
    }

    /// <summary>
    /// Unreadable JSON as one field error: the field from the JSON path ("$.events" → events, "body" for the whole
    /// document), and a message in words. System.Text.Json's own messages name .NET types, which tell a client nothing.
    /// </summary>
    public static ValidationFailure FromJsonException(System.Text.Json.JsonException exception)
    {
        var path = exception.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
        var own = exception.Message.Split(" Path:")[0];
        var message = exception.Message.Contains("could not be converted", StringComparison.Ordinal) || own.Contains("System.", StringComparison.Ordinal)
            ? path is null ? "must be a JSON object" : "has the wrong type"
            : own;
        return new ValidationFailure(path ?? "SerializerErrors", message);
    }

    static bool HasBody(string method) => HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method);

    /// <summary>What a query value should have been, in words a frontend developer reads (never a .NET type name).</summary>
    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int) || type == typeof(long) || type == typeof(short)) return "a whole number";
        if (type == typeof(double) || type == typeof(decimal) || type == typeof(float)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(Guid)) return "a UUID";
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly)) return "an ISO 8601 date";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)));
        return "a valid value";
    }

    static string FieldName(string property)
    {
        if (string.IsNullOrEmpty(property) || property is "GeneralErrors") return "request";
        if (property is "SerializerErrors") return "body";
        // "Config.XColumn" → "config.x_column"; names already in snake_case pass through.
        return string.Join('.', property.Split('.').Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p)));
    }

    /// <summary>The validation problem body; serialized with the snake_case policy.</summary>
    public sealed record ValidationProblem(string Type, string Title, int Status, string Detail, string Instance,
        string TraceId, Dictionary<string, string[]> Errors);
}

/// <summary>Turns exceptions into Problem Details; unexpected ones become a 500 that reveals nothing internal.</summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case ProblemException problem:
                if (problem.RetryAfter is { } wait)
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(http, problem.Status, problem.Title, problem.Detail, problem.Errors, problem.Extensions);
                return true;
            case BadHttpRequestException bad:
                var status = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? 413 : 400;
                await Problems.WriteAsync(http, status, status == 413 ? "The request body is too large" : "The request is malformed");
                return true;
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                http.Response.StatusCode = 499; // client went away; nothing to write
                return true;
            case var _ when Persistence.Concurrency.IsConflict(exception):
                // Two requests changed the same thing at once (two tabs saving one chart): the later one may retry.
                await Problems.WriteAsync(http, StatusCodes.Status409Conflict, "Conflicting update",
                    "Another request changed this resource at the same moment; reload it and try again.");
                return true;
            case var _ when UnavailableDependency(exception) is { } dependency:
                // Down, not broken: the client may retry, and /health/ready says which dependency it is.
                logger.LogError(exception, "{Dependency} unavailable on {Method} {Path}", dependency, http.Request.Method, http.Request.Path.Value);
                http.Response.Headers.RetryAfter = "5";
                await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "A service is unavailable",
                    $"The {dependency} cannot be reached right now; try again in a few seconds.");
                return true;
            default:
                logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path.Value);
                http.RequestServices.GetService<Observability.ErrorTracker>()?.Capture(exception, http);
                await Problems.WriteAsync(http, 500, "An unexpected error occurred",
                    "The error has been logged; quote trace_id when reporting it.");
                return true;
        }
    }

    /// <summary>
    /// Which dependency an exception says is unreachable ("database", "cache", "storage"), or null for any other failure.
    /// Only connection-level trouble counts: an SQL error from a reachable database is a bug (500), not an outage.
    /// </summary>
    public static string? UnavailableDependency(Exception exception)
    {
        for (var e = (Exception?)exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.PostgresException postgres when !postgres.IsTransient:
                    return null;
                case Npgsql.NpgsqlException { IsTransient: true }:
                    return "database";
                case var redis when Persistence.RedisFailures.IsOutage(redis):
                    return "cache";
                case Storage.StorageUnavailableException:
                    return "storage";
            }
        }
        return null;
    }
}

public static class ErrorRegistration
{
    public static IServiceCollection AddChartCraftErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }
}
