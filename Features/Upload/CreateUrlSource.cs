using ChartCraft.Features.Messages;
using ChartCraft.Features.Plans;
using Wolverine.Marten;

namespace ChartCraft.Features.Upload;

public sealed record CreateUrlSourceRequest(string? SourceUrl, int? RefreshMinutes, string? Name);

public sealed class CreateUrlSourceValidator : Validator<CreateUrlSourceRequest>
{
    public const int MaxUrlLength = 2048;

    public CreateUrlSourceValidator()
    {
        RuleFor(x => x.SourceUrl).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("is required")
            .MaximumLength(MaxUrlLength)
            .Must(IsHttpUrl).WithMessage("must be an absolute http:// or https:// URL");
        RuleFor(x => x.RefreshMinutes).NotNull().WithMessage("is required")
            .InclusiveBetween(DataSourceSettings.MinRefreshMinutes, DataSourceSettings.MaxRefreshMinutes)
            .WithMessage($"must be between {DataSourceSettings.MinRefreshMinutes} and {DataSourceSettings.MaxRefreshMinutes} minutes");
        RuleFor(x => x.Name).MaximumLength(FileNames.MaxLength);
    }

    static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
        && uri.UserInfo.Length == 0;
}

/// <summary>
/// POST /api/data/sources: a data source fetched from a URL now (the answer is its first version, parsed) and then every
/// refresh_minutes. The URL must resolve to public addresses; a fetch that fails is a 422 naming the reason, and nothing is
/// stored; a file that cannot be used gets the upload's 413/415/422.
/// </summary>
public sealed class CreateUrlSourceEndpoint(IDocumentStore store, IMartenOutbox outbox, SourceUrlGuard guard, SourceRefresh refresh,
    DataFileIntake intake, Infrastructure.Storage.IBlobStorage storage, DataSetCache cache, PlanEnforcement plans, TimeProvider clock)
    : Endpoint<CreateUrlSourceRequest, DataSourceResponse>
{
    public override void Configure()
    {
        Post("/data/sources");
        Description(d => d.WithTags("Data sources").Accepts<CreateUrlSourceRequest>("application/json")
            .Produces<DataSourceResponse>(201).ProducesProblems(400, 401, 403, 415, 422), clearDefaults: true);
        Summary(s =>
        {
            s.Summary = "Create a data source refreshed from a URL";
            s.Description = "The file is fetched now and then every refresh_minutes (5–10080); a changed file becomes a new version "
                            + "and the source's charts are redrawn.";
            s.Responses[422] = "Invalid fields, a URL that is not public, a fetch that failed (the detail says why) or an unusable file";
        });
    }

    public override async Task HandleAsync(CreateUrlSourceRequest req, CancellationToken ct)
    {
        var userId = User.UserId();
        var url = new Uri(req.SourceUrl!.Trim());
        if (await guard.WhyRefusedAsync(url, ct) is { } refusal)
            throw Unfetchable(url, $"refused: {refusal}; sources may only be fetched from public addresses");

        FetchedFile fetched;
        IncomingData data;
        try
        {
            (fetched, data) = await refresh.FetchFirstAsync(url.AbsoluteUri, string.IsNullOrWhiteSpace(req.Name) ? null : req.Name, ct);
        }
        catch (SourceFetchException failed)
        {
            throw Unfetchable(url, failed.Message);
        }
        using (fetched)
        {
            var source = await StoreAsync(userId, url, req.RefreshMinutes!.Value, fetched, data, ct);
            await Send.ResponseAsync(DataSourceResponse.From(source), 201, ct);
        }
    }

    async Task<DataSource> StoreAsync(Guid userId, Uri url, int refreshMinutes, FetchedFile fetched, IncomingData data, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var source = new DataSource
        {
            Id = Guid.CreateVersion7(), UserId = userId, CreatedAt = now, SourceUrl = url.AbsoluteUri, RefreshMinutes = refreshMinutes,
            LastFetchedAt = now, NextFetchAt = now.AddMinutes(refreshMinutes), ETag = fetched.ETag, LastModified = fetched.LastModified,
        };
        var storageKey = DataFileIntake.StorageKeyFor(userId, source.Id, 1, data.Parsed.FileType);
        DataFileIntake.Apply(source, data, await intake.StoreAsync(data, storageKey, ct), storageKey, 1, now);
        await NewSource.SaveAsync(source, store, outbox, plans, storage, now, ct);
        cache.Put(source.Id, data.Parsed.Data, source.Version);
        return source;
    }

    static ProblemException Unfetchable(Uri url, string reason) =>
        new(StatusCodes.Status422UnprocessableEntity, "The source URL cannot be fetched", $"{url.Host}: {reason}",
            new Dictionary<string, string[]> { ["source_url"] = [reason] });
}
