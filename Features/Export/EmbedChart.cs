using ChartCraft.Features.Charts;

namespace ChartCraft.Features.Export;

/// <summary>
/// <c>is_public</c> (or its alias <c>make_public</c>): embedding a private chart shows it to anyone with the page,
/// so it is made public only when asked.
/// </summary>
public sealed record EmbedRequest(Guid ChartId, string Theme = "light", bool Responsive = true, bool? IsPublic = null, bool? MakePublic = null)
{
    public bool PublishRequested => (IsPublic ?? MakePublic) == true;
}

public sealed class EmbedValidator : Validator<EmbedRequest>
{
    public EmbedValidator()
    {
        RuleFor(x => x.ChartId).NotEmpty();
        RuleFor(x => x.Theme).Must(t => t is "light" or "dark").WithMessage("must be 'light' or 'dark'");
    }
}

/// <summary>POST /api/export/embed: HTML/CSS/JS snippets, an iframe and the embed page URL for a chart.</summary>
public sealed class EmbedChartEndpoint(IDocumentStore store, ChartFigures figures, PublicUrls urls, TimeProvider clock)
    : Endpoint<EmbedRequest, EmbedCodeResponse>
{
    public override void Configure()
    {
        Post("/export/embed");
        Description(d => d.WithTags("Export").Accepts<EmbedRequest>("application/json")
            .Produces<EmbedCodeResponse>(200).ProducesProblems(400, 401, 404, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Embed code for a chart";
            s.Description = "The iframe and embed_url show the chart only while it is public; is_public: true (alias make_public) makes it public.";
        });
    }

    public override async Task HandleAsync(EmbedRequest req, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var chart = await session.LoadOwnedChartAsync(req.ChartId, User.UserId(), ct);
        if (req.PublishRequested && !chart.IsPublic)
        {
            await session.AppendAsync(chart.Id, new ChartUpdated(["is_public"], chart.Title, chart.ChartType, chart.Config, chart.ChartConfig,
                chart.AiInsights, IsPublic: true, clock.GetUtcNow()), ct);
            await session.SaveChangesAsync(ct);
        }
        var config = await figures.ChartJsConfigAsync(session, chart, req.Theme, ct);
        await Send.OkAsync(EmbedCode.Snippets(chart.Id, chart.Title, config, urls.BaseUrl, req.Theme, req.Responsive), ct);
    }
}

/// <summary>
/// GET /embed/{chart_id}: a standalone page for iframes, public charts only, no cookies, strict CSP. Each page served
/// counts in the chart's daily statistics (not in its <c>view_count</c>, which counts the public API's views); pages
/// served from a browser's or CDN's cache (max-age) are not seen and not counted.
/// </summary>
public sealed class EmbedPageEndpoint(IDocumentStore store, ChartFigures figures, ChartReads reads, ChartDailyViews daily) : EndpointWithoutRequest
{
    public override void Configure()
    {
        Get("/embed/{chart_id:guid}");
        RoutePrefixOverride(string.Empty);
        AllowAnonymous();
        Description(d => d.WithTags("Export").Produces(200, contentType: "text/html").ProducesProblems(404), clearDefaults: true);
        Summary(s => s.Summary = "Embeddable chart page (public charts; ?theme=light|dark)");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var chartId = Route<Guid>("chart_id");
        var theme = Query<string>("theme", isRequired: false) == "dark" ? "dark" : "light";
        var chart = await reads.PublicAsync(chartId, ct);
        await daily.CountAsync(chart.Id, HttpContext, ct);
        // Opens a connection only for the dark theme, whose config is rebuilt from the data.
        await using var session = store.QuerySession();
        var config = await figures.ChartJsConfigAsync(session, chart, theme, ct);

        var headers = HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = EmbedCode.PageSecurityPolicy;
        headers.CacheControl = "public, max-age=300";
        headers.Vary = "Accept-Encoding";
        await Send.StringAsync(EmbedCode.Page(chart.Title, chart.AiInsights?.Headline, config, theme), 200, "text/html; charset=utf-8", ct);
    }
}
