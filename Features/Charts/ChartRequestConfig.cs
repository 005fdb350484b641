using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChartCraft.Features.Charts;

/// <summary>
/// The <c>config</c> of a chart request: which columns feed the chart and how they are grouped.
/// Every field is optional in JSON; what a chart type needs is checked against the data by
/// <see cref="ChartRequestValidation"/>, and what is left out is chosen from the data.
/// </summary>
public sealed record ChartRequestConfig
{
    public string? XColumn { get; init; }

    /// <summary>One column, or several for several series; JSON takes a string or a list of strings.</summary>
    [JsonConverter(typeof(StringOrListConverter))]
    public IReadOnlyList<string>? YColumn { get; init; }

    /// <summary>Splits the measure into one series per value of this column.</summary>
    public string? GroupColumn { get; init; }

    /// <summary>sum | mean | count | min | max | median; chosen from the measure when absent.</summary>
    public string? Aggregation { get; init; }

    /// <summary>day | week | month | quarter | year; chosen from the data's span when absent.</summary>
    public string? TimeUnit { get; init; }

    /// <summary>x | x_desc | value_desc | value_asc | none; "desc" and "asc" are stored as value_desc and value_asc.</summary>
    public string? Sort { get; init => field = SortOrders.Canonical(value); }

    /// <summary>Keep the top N categories and fold the rest into "Other".</summary>
    public int? Limit { get; init; }

    /// <summary>A palette name or a list of colours; JSON takes a string or a list of strings.</summary>
    [JsonConverter(typeof(ColorSchemeConverter))]
    public ColorScheme? ColorScheme { get; init; }

    public bool? Stacked { get; init; }
    public string? XLabel { get; init; }
    public string? YLabel { get; init; }

    /// <summary>Histogram bin count; Freedman–Diaconis decides when absent.</summary>
    public int? Bins { get; init; }

    /// <summary>The first y column, for charts that take one.</summary>
    [JsonIgnore]
    public string? FirstYColumn => YColumn is { Count: > 0 } ys ? ys[0] : null;
}

/// <summary>A named palette or an explicit list of colours.</summary>
public sealed record ColorScheme(string? Name, IReadOnlyList<string>? Colors)
{
    public static ColorScheme Named(string name) => new(name, null);
    public static ColorScheme List(params string[] colors) => new(null, colors);
}

/// <summary>Reads a string or a list of strings into a list; writes one string back as a string.</summary>
public sealed class StringOrListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => [reader.GetString()!],
            JsonTokenType.StartArray => ReadStrings(ref reader),
            _ => throw new JsonException("expected a column name or a list of column names"),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteStringValue(value[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (var s in value) writer.WriteStringValue(s);
        writer.WriteEndArray();
    }

    internal static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("expected a list of strings");
            list.Add(reader.GetString()!);
        }
        return list;
    }
}

/// <summary>Reads <c>"viridis"</c> or <c>["#1f77b4", "rgb(255, 127, 14)"]</c>; writes the same shape back.</summary>
public sealed class ColorSchemeConverter : JsonConverter<ColorScheme>
{
    public override ColorScheme? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => ColorScheme.Named(reader.GetString()!),
            JsonTokenType.StartArray => new ColorScheme(null, StringOrListConverter.ReadStrings(ref reader)),
            _ => throw new JsonException("expected a palette name or a list of colours"),
        };

    public override void Write(Utf8JsonWriter writer, ColorScheme value, JsonSerializerOptions options)
    {
        if (value.Colors is { } colors)
        {
            writer.WriteStartArray();
            foreach (var c in colors) writer.WriteStringValue(c);
            writer.WriteEndArray();
        }
        else if (value.Name is { } name) writer.WriteStringValue(name);
        else writer.WriteNullValue();
    }
}
