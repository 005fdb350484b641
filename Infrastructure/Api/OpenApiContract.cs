using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using ChartCraft.Features.Charts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using NJsonSchema;
using NJsonSchema.Generation;
using NJsonSchema.Generation.TypeMappers;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace ChartCraft.Infrastructure.Api;

/// <summary>
/// Makes the OpenAPI document describe the JSON the app really sends and receives, in a form that linters and
/// client generators accept: free-form JSON as JSON objects, nullable references with a type, catch-all routes
/// as plain path parameters and an explicit security requirement on every operation.
/// </summary>
public static class OpenApiContract
{
    public const string BearerScheme = "JWTBearerAuth";
    public const string MetricsTokenScheme = "MetricsToken";

    public static void Configure(AspNetCoreOpenApiDocumentGeneratorSettings settings)
    {
        // Without these, JsonNode's own .NET properties (parent, root, options) would be the "data" a client sees,
        // and JsonObject (an IEnumerable of pairs) would become an array of key/value objects.
        foreach (var freeForm in new[] { typeof(JsonNode), typeof(JsonObject), typeof(JsonElement), typeof(JsonDocument) })
            settings.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(freeForm, DescribeAsJsonObject));
        settings.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(ColorScheme), DescribeColorScheme));
        settings.SchemaSettings.SchemaProcessors.Add(new StringOrListProperties());
        settings.SchemaSettings.SchemaProcessors.Add(new PropertiesOmittedWhenEmpty());

        // Defined, not required globally (AddSecurity would require it on every operation).
        settings.PostProcess += document => document.Components.SecuritySchemes[MetricsTokenScheme] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "Bearer",
            Description = "METRICS_TOKEN, when the server sets one (GET /metrics is open otherwise).",
        };
        // Before FastEndpoints' own processor, which reads the request DTO from the description it is about to document.
        var fastEndpoints = settings.OperationProcessors.ToList().FindIndex(p => p.GetType().FullName == "FastEndpoints.Swagger.OperationProcessor");
        settings.OperationProcessors.Insert(Math.Max(fastEndpoints, 0), new QueryOfClearedDescriptions());
        settings.OperationProcessors.Add(new OptionalQueryWithDefault());
        settings.OperationProcessors.Add(new ExplicitSecurity());
        settings.OperationProcessors.Add(new OpenApiExampleProcessor());
        settings.DocumentProcessors.Add(new LintCleanDocument());
        settings.DocumentProcessors.Add(new ResponseFieldsAlwaysPresent());
    }

    /// <summary>
    /// The server is wherever the document was fetched from: a relative URL, so a generated client takes its own base
    /// URL and the document does not name the host it happened to be served on.
    /// </summary>
    public static void ServeRelativeToItself(OpenApiDocument document, HttpRequest _)
    {
        document.Servers.Clear();
        document.Servers.Add(new OpenApiServer { Url = "/", Description = "The server this document is served from" });
    }

    static void DescribeAsJsonObject(JsonSchema schema)
    {
        schema.Type = JsonObjectType.Object;
        // Written out ("additionalProperties": {}): generators read a bare object as "no properties at all".
        schema.AdditionalPropertiesSchema = new JsonSchema();
        schema.Description ??= "Free-form JSON object.";
    }

    /// <summary>ColorSchemeConverter reads and writes a palette name or a list of colours, not the record's properties.</summary>
    static void DescribeColorScheme(JsonSchema schema)
    {
        schema.Description = "A named palette (e.g. \"tableau10\") or a list of CSS colours.";
        schema.OneOf.Add(new JsonSchema { Type = JsonObjectType.String });
        schema.OneOf.Add(new JsonSchema { Type = JsonObjectType.Array, Item = new JsonSchema { Type = JsonObjectType.String } });
    }

    /// <summary>A property read and written by <see cref="StringOrListConverter"/> is a string (one item) or a list of strings.</summary>
    sealed class StringOrListProperties : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context)
        {
            foreach (var property in context.ContextualType.Type.GetProperties())
            {
                if (property.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType != typeof(StringOrListConverter)) continue;
                var name = Api.Json.PropertyNamingPolicy!.ConvertName(property.Name);
                if (!context.Schema.Properties.TryGetValue(name, out var schema)) continue;
                schema.Type = JsonObjectType.None;
                schema.Item = null;
                schema.IsNullableRaw = null;
                schema.OneOf.Add(new JsonSchema { Type = JsonObjectType.String, IsNullableRaw = true });
                schema.OneOf.Add(new JsonSchema { Type = JsonObjectType.Array, Item = new JsonSchema { Type = JsonObjectType.String } });
            }
        }
    }

    /// <summary>Properties the app leaves out when null or default (<c>[JsonIgnore(Condition = WhenWriting…)]</c>), found per type.</summary>
    static readonly ConditionalWeakTable<JsonSchemaProperty, object> omittedWhenEmpty = new();

    /// <summary>
    /// Remembers each property the app leaves out of its JSON when null or default (such as <c>resets_at</c> of a limit
    /// that is not daily), so that <see cref="ResponseFieldsAlwaysPresent"/> does not call it required.
    /// </summary>
    sealed class PropertiesOmittedWhenEmpty : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context)
        {
            foreach (var property in context.ContextualType.Type.GetProperties())
            {
                if (property.GetCustomAttribute<JsonIgnoreAttribute>()?.Condition is not
                    (JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault)) continue;
                var name = Api.Json.PropertyNamingPolicy!.ConvertName(property.Name);
                if (context.Schema.Properties.TryGetValue(name, out var schema)) omittedWhenEmpty.AddOrUpdate(schema, true);
            }
        }
    }

    /// <summary>
    /// <c>Description(..., clearDefaults: true)</c> also clears the request type FastEndpoints documents query parameters
    /// from, so GET /api/charts lost page and page_size, suggest-type its data_source_id. The request DTO is put back for
    /// the verbs that take their input from the query.
    /// </summary>
    sealed class QueryOfClearedDescriptions : IOperationProcessor
    {
        public bool Process(OperationProcessorContext context)
        {
            var api = ((AspNetCoreOperationProcessorContext)context).ApiDescription;
            if (api.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().SingleOrDefault() is not { } definition) return true;
            if (api.HttpMethod is not ("GET" or "HEAD" or "DELETE") || definition.ReqDtoType == typeof(EmptyRequest)) return true;
            if (api.ParameterDescriptions.Any(p => p.Type == definition.ReqDtoType)) return true;
            api.ParameterDescriptions.Insert(0, new ApiParameterDescription { Name = "request", Type = definition.ReqDtoType, Source = Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Query });
            return true;
        }
    }

    /// <summary>
    /// A query parameter left out keeps the request DTO's initial value (page=1, page_size=20, offset=0): it is optional,
    /// with that default. Only an id that would be empty (Guid.Empty, null) is required.
    /// </summary>
    sealed class OptionalQueryWithDefault : IOperationProcessor
    {
        public bool Process(OperationProcessorContext context)
        {
            var api = ((AspNetCoreOperationProcessorContext)context).ApiDescription;
            var requestType = api.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().SingleOrDefault()?.ReqDtoType;
            if (requestType is null || requestType.GetConstructor(Type.EmptyTypes) is null) return true;
            var initial = Activator.CreateInstance(requestType);
            foreach (var parameter in context.OperationDescription.Operation.Parameters.Where(p => p.Kind == OpenApiParameterKind.Query))
            {
                var property = requestType.GetProperties().FirstOrDefault(p =>
                    (p.GetCustomAttribute<BindFromAttribute>()?.Name ?? Api.Json.PropertyNamingPolicy!.ConvertName(p.Name)) == parameter.Name);
                if (property?.GetValue(initial) is not { } value || value is Guid id && id == Guid.Empty) continue;
                parameter.IsRequired = false;
                if (parameter.Schema is { } schema) schema.Default = value;
                else parameter.Default = value;
            }
            return true;
        }
    }

    /// <summary>
    /// Public operations (register, login, health, embed, public charts, signed downloads) say so with <c>security: []</c>;
    /// /metrics takes an optional scrape token. Authenticated operations already carry the bearer scheme.
    /// </summary>
    sealed class ExplicitSecurity : IOperationProcessor
    {
        public bool Process(OperationProcessorContext context)
        {
            var operation = context.OperationDescription.Operation;
            if (operation.Security is { Count: > 0 }) return true;
            var metadata = ((AspNetCoreOperationProcessorContext)context).ApiDescription.ActionDescriptor.EndpointMetadata;
            var isPublic = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
            if (context.OperationDescription.Path.EndsWith("/metrics", StringComparison.Ordinal))
                operation.Security = [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [MetricsTokenScheme] = [] }];
            else if (!isPublic)
                operation.Security = [new OpenApiSecurityRequirement { [BearerScheme] = [] }];
            else
                // NSwag leaves an empty Security list out of the JSON; an explicit "security: []" says "public" to readers and linters.
                (operation.ExtensionData ??= new Dictionary<string, object?>())["security"] = Array.Empty<object>();
            return true;
        }
    }

    /// <summary>
    /// The app writes every property of a response, null or not (JsonIgnoreCondition.Never), so a schema that only
    /// responses use lists all its properties as required: a generated client then types <c>chart.chart_id</c> as a
    /// string, not "string or undefined". Schemas that requests use too keep their properties optional, and so does a
    /// property the app leaves out when it is null (<see cref="PropertiesOmittedWhenEmpty"/>).
    /// </summary>
    sealed class ResponseFieldsAlwaysPresent : IDocumentProcessor
    {
        public void Process(DocumentProcessorContext context)
        {
            var inputs = new HashSet<JsonSchema>();
            foreach (var operation in context.Document.Operations.Select(o => o.Operation))
            {
                foreach (var content in operation.RequestBody?.Content.Values ?? []) Reach(content.Schema, inputs);
                foreach (var parameter in operation.Parameters) Reach(parameter.Schema, inputs);
            }
            foreach (var schema in context.Document.Components.Schemas.Values.Where(s => !inputs.Contains(s)))
            foreach (var property in schema.Properties.Values.Where(p => !omittedWhenEmpty.TryGetValue(p, out _)))
                property.IsRequired = true;
        }

        static void Reach(JsonSchema? schema, HashSet<JsonSchema> reached)
        {
            if (schema is null) return;
            if (schema.HasReference) schema = schema.Reference!;
            if (!reached.Add(schema)) return;
            foreach (var child in schema.Properties.Values.Cast<JsonSchema>().Concat(schema.AllOf).Concat(schema.OneOf).Concat(schema.AnyOf))
                Reach(child, reached);
            Reach(schema.Item, reached);
            Reach(schema.AdditionalPropertiesSchema, reached);
        }
    }

    /// <summary>Rewrites what NSwag emits but OpenAPI 3.0 linters reject, keeping the meaning.</summary>
    sealed class LintCleanDocument : IDocumentProcessor
    {
        public void Process(DocumentProcessorContext context)
        {
            var document = context.Document;
            foreach (var (path, item) in document.Paths.ToList())
            {
                // ASP.NET's catch-all {**key} is an ordinary {key} parameter to a client; the route still takes slashes.
                if (!path.Contains("{**", StringComparison.Ordinal)) continue;
                document.Paths.Remove(path);
                document.Paths[path.Replace("{**", "{", StringComparison.Ordinal)] = item;
                foreach (var parameter in item.Values.SelectMany(o => o.Parameters).Where(p => p.Name.StartsWith("**", StringComparison.Ordinal)))
                {
                    parameter.Name = parameter.Name.TrimStart('*');
                    parameter.Description ??= "May contain slashes.";
                }
            }
            var seen = new HashSet<JsonSchema>();
            foreach (var schema in document.Components.Schemas.Values) TypeNullableReferences(schema, seen);
            foreach (var operation in document.Operations.Select(o => o.Operation))
            {
                foreach (var content in (operation.RequestBody?.Content.Values ?? []).Concat(operation.Responses.Values.SelectMany(r => r.Content.Values)))
                    if (content.Schema is not null) TypeNullableReferences(content.Schema, seen);
                foreach (var parameter in operation.Parameters.Where(p => p.Schema is not null)) TypeNullableReferences(parameter.Schema, seen);
            }
        }

        /// <summary>
        /// NJsonSchema writes a nullable reference as <c>{nullable: true, oneOf: [{$ref}]}</c>: no type beside nullable, and
        /// a oneOf of one. Written as <c>{type, nullable: true, allOf: [{$ref}]}</c> it means the same and lints clean.
        /// </summary>
        static void TypeNullableReferences(JsonSchema schema, HashSet<JsonSchema> seen)
        {
            if (!seen.Add(schema)) return;
            if (schema.IsNullableRaw == true && schema.Type == JsonObjectType.None && schema.OneOf.Count == 1 && schema.OneOf.Single().HasReference)
            {
                var reference = schema.OneOf.Single();
                schema.OneOf.Clear();
                schema.AllOf.Add(reference);
                schema.Type = reference.ActualSchema.Type;
            }
            // A nullable union (a name or a list): OpenAPI 3.0 has no null type, so its first branch takes the null.
            if (schema.IsNullableRaw == true && schema.Type == JsonObjectType.None && schema.OneOf.FirstOrDefault(b => !b.HasReference) is { } first)
            {
                schema.IsNullableRaw = null;
                first.IsNullableRaw = true;
            }
            if (schema.OneOf.Count == 1 && schema.OneOf.Single().HasReference && schema.DiscriminatorObject is null)
            {
                // A oneOf of one reference (a non-nullable reference with a description) is that reference.
                schema.AllOf.Add(schema.OneOf.Single());
                schema.OneOf.Clear();
            }
            // Any JSON value (a typed sample cell): OpenAPI 3.0 has no way to say "or null" without a type, and {} allows it.
            if (schema.IsNullableRaw == true && schema.Type == JsonObjectType.None && !schema.HasReference
                && schema.OneOf.Count == 0 && schema.AllOf.Count == 0 && schema.AnyOf.Count == 0)
            {
                schema.IsNullableRaw = null;
                schema.Description ??= "Any JSON value: a number, string, boolean or null.";
            }
            foreach (var child in schema.Properties.Values.Cast<JsonSchema>()
                         .Concat(schema.AllOf).Concat(schema.OneOf).Concat(schema.AnyOf)
                         .Concat(schema.Item is null ? [] : [schema.Item])
                         .Concat(schema.AdditionalPropertiesSchema is null ? [] : [schema.AdditionalPropertiesSchema]))
                TypeNullableReferences(child, seen);
        }
    }
}
