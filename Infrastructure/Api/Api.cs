using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints.Swagger;

namespace ChartCraft.Infrastructure.Api;

/// <summary>FastEndpoints with snake_case JSON both ways, Problem Details errors and an OpenAPI document.</summary>
public static class Api
{
    /// <summary>The API's JSON settings, for code that reads or writes API-shaped JSON itself.</summary>
    public static readonly JsonSerializerOptions Json = CreateJson();

    static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ConfigureJson(json);
        return json;
    }

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = null;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        json.NumberHandling = JsonNumberHandling.Strict;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        json.Converters.Add(new UtcTimestampConverter());
    }

    public static IServiceCollection AddChartCraftApi(this IServiceCollection services)
    {
        services.AddFastEndpoints(o => o.Assemblies = [typeof(Api).Assembly]);
        services.AddHttpContextAccessor();
        services.AddSingleton<PublicUrls>();
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.SwaggerDocument(o =>
        {
            o.DocumentSettings = s =>
            {
                s.DocumentName = "v1";
                s.Title = "ChartCraft API";
                s.Version = "v1";
                s.Description = "Upload data, get typed columns and chart suggestions, create Chart.js charts with grounded insights, export and publish them.";
                OpenApiContract.Configure(s);
            };
            o.ShortSchemaNames = true;
            o.AutoTagPathSegmentIndex = 0; // endpoints name their own tags
            o.EnableJWTBearerAuth = true;
            o.SerializerSettings = ConfigureJson;
        });
        return services;
    }

    public static WebApplication UseChartCraftApi(this WebApplication app)
    {
        app.UseFastEndpoints(c =>
        {
            c.Endpoints.RoutePrefix = "api";
            c.Endpoints.ShortNames = true;
            ConfigureJson(c.Serializer.Options);
            // Field validation failures are 422 (the body parsed but its values are wrong); JSON that does not
            // parse stays 400, and so does a bad query (see Problems.FromValidationFailures).
            c.Errors.StatusCode = StatusCodes.Status422UnprocessableEntity;
            c.Binding.JsonExceptionStatusCode = StatusCodes.Status400BadRequest;
            c.Binding.FailureMessage = (type, _, value) => $"'{value}' is not {Problems.Describe(type)}";
            c.Binding.JsonExceptionTransformer = Problems.FromJsonException;
            c.Errors.ResponseBuilder = Problems.FromValidationFailures;
            c.Errors.ProducesMetadataType = typeof(Problems.ValidationProblem);
        });
        app.UseSwaggerGen(c => c.PostProcess = OpenApiContract.ServeRelativeToItself, ui => ui.DocExpansion = "list");
        return app;
    }
}
