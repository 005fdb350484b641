namespace ChartCraft.Infrastructure.Api;

/// <summary>The error body every non-validation error has (RFC 9457), as documented in OpenAPI.</summary>
public sealed record ApiProblem(string Type, string Title, int Status, string? Detail, string Instance, string TraceId);

/// <summary>Shorthands so each endpoint documents its real status codes with the real error shapes.</summary>
public static class OpenApiDescriptions
{
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
            // 400 (a bad query or unreadable body) and 422 (invalid fields) both list what was wrong, per field.
            builder = status is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity
                ? builder.Produces<Problems.ValidationProblem>(status, "application/problem+json")
                : builder.Produces<ApiProblem>(status, "application/problem+json");
        return builder;
    }
}
