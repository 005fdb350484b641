namespace ChartCraft.Features.Activity;

/// <summary>The fields of a chart stream's event that its activity entry needs; <c>Title</c> is the chart's as of the event.</summary>
public sealed record ChartEventRow(DateTimeOffset At, string Type, Guid ChartId, IReadOnlyList<string> Changes, bool IsPublic,
    string? Format, string? Provider, string? Reason, string? Title);

/// <summary>
/// Names and sentences for the events of a chart's stream. The kinds are part of the API: an event type keeps its
/// kind, and a type added later is named after itself (<c>chart_something</c>) until it gets a sentence here.
/// </summary>
public static class ActivitySummaries
{
    public static ActivityEntry Describe(ChartEventRow e)
    {
        var chart = $"chart \"{e.Title ?? "untitled"}\"";
        var (kind, summary) = e.Type switch
        {
            "chart_created" => ("chart_created", $"Created {chart}{(e.IsPublic ? " (public)" : "")}"),
            "chart_updated" when e.Changes is ["is_public"] => e.IsPublic
                ? ("chart_made_public", $"Made {chart} public")
                : ("chart_made_private", $"Made {chart} private"),
            "chart_updated" => ("chart_updated", e.Changes.Count == 0
                ? $"Changed {chart}"
                : $"Changed {string.Join(", ", e.Changes.Select(Words))} of {chart}"),
            "chart_deleted" => ("chart_deleted", e.Reason == "data_source_deleted"
                ? $"Deleted {chart} with its data source"
                : $"Deleted {chart}"),
            "chart_exported" => ("chart_exported", $"Exported {chart} as {e.Format?.ToUpperInvariant() ?? "a file"}"),
            "chart_published" => ("chart_published", $"Published {chart} to {Provider(e.Provider)}"),
            _ => (e.Type, $"{Capitalized(Words(e.Type))} ({chart})"),
        };
        return new ActivityEntry(e.At, kind, e.ChartId, summary);
    }

    static string Words(string name) => name.Replace('_', ' ');

    static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    static string Provider(string? provider) => provider switch
    {
        "mailchimp" => "Mailchimp",
        "convertkit" => "Kit",
        null => "a newsletter",
        _ => provider,
    };
}
