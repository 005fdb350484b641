using Microsoft.AspNetCore.Http.Metadata;
using Newtonsoft.Json.Linq;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace ChartCraft.Infrastructure.Api;

/// <summary>
/// Puts the example of <see cref="OpenApiExamples"/> for each request and response type on the operations that use it,
/// so every body in the document shows realistic data (a generated client's docs and Swagger UI's "try it out" use them).
/// </summary>
public sealed class OpenApiExampleProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        var api = ((AspNetCoreOperationProcessorContext)context).ApiDescription;
        var operation = context.OperationDescription.Operation;
        var metadata = api.ActionDescriptor.EndpointMetadata;
        var requestType = metadata.OfType<IAcceptsMetadata>().LastOrDefault()?.RequestType
                          ?? metadata.OfType<EndpointDefinition>().SingleOrDefault()?.ReqDtoType;
        if (operation.RequestBody is { } body && requestType is not null && OpenApiExamples.For(requestType, 0) is { } requestExample)
            foreach (var content in body.Content.Values) content.Example ??= requestExample;

        foreach (var response in api.SupportedResponseTypes)
        {
            if (response.Type is null || response.Type == typeof(void)) continue;
            if (!operation.Responses.TryGetValue(response.StatusCode.ToString(), out var documented)) continue;
            if (OpenApiExamples.For(response.Type, response.StatusCode) is not { } example) continue;
            foreach (var content in documented.Content.Values) content.Example ??= example;
        }
        // Error bodies declared some other way (FastEndpoints' ProducesProblemDetails) are Problem Details all the same.
        foreach (var (status, response) in operation.Responses)
            if (response.Content.TryGetValue("application/problem+json", out var problem) && int.TryParse(status, out var code))
                problem.Example ??= OpenApiExamples.For(typeof(ApiProblem), code);
        // A problem's instance is the request's path: this operation's, not a generic one.
        foreach (var problem in operation.Responses.Values.SelectMany(r => r.Content)
                     .Where(c => c.Key == "application/problem+json").Select(c => c.Value.Example).OfType<JObject>())
            problem["instance"] = context.OperationDescription.Path.Replace("{**", "{", StringComparison.Ordinal);
        return true;
    }
}
