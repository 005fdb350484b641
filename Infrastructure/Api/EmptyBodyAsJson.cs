
namespace ChartCraft.Infrastructure.Api;

/// <summary>
/// A POST, PUT, PATCH or DELETE to the API with no body and no Content-Type (fetch() with no body, curl -X POST) is
/// read as an empty JSON object, so validation answers with the fields that are missing instead of a bare 415 with an
/// empty body (DELETE /api/account without its password). A request that states any Content-Type is left alone.
/// </summary>
public sealed class EmptyBodyAsJsonMiddleware(RequestDelegate next)
{
    static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (request.Path.StartsWithSegments("/api")
            && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)
                || HttpMethods.IsDelete(request.Method))
            && string.IsNullOrEmpty(request.ContentType)
            && (request.ContentLength ?? 0) == 0
            && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true))
        {
            request.ContentType = "application/json";
            request.Body = new MemoryStream(EmptyObject, writable: false);
            request.ContentLength = EmptyObject.Length;
        }
        return next(http);
    }
}
