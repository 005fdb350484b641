namespace ChartCraft.Infrastructure.Api;

public static partial class OpenApiExamples
{
    /// <summary>Example JSON per request and response type, as the app writes it (snake_case, ISO 8601 UTC timestamps).</summary>
    static readonly Dictionary<Type, string> ByType = new()
    {
    };
}
