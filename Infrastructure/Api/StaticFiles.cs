using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace ChartCraft.Infrastructure.Api;

/// <summary>
/// /static/...: files embedded in the assembly (Static/**), so the Docker image, a test host and a plain
/// `dotnet ChartCraft.dll` all serve the same bytes with no folder to deploy.
/// </summary>
public static class StaticFiles
{
    public static IApplicationBuilder UseChartCraftStaticFiles(this IApplicationBuilder app)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".md"] = "text/markdown; charset=utf-8";
        return app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/static",
            FileProvider = new EmbeddedFileProvider(typeof(StaticFiles).Assembly, "ChartCraft.Static"),
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = "public, max-age=86400";
                // Embedding sites load these cross-origin.
                context.Context.Response.Headers["Cross-Origin-Resource-Policy"] = "cross-origin";
            },
        });
    }
}
