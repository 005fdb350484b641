using System.Text.Json;

namespace ChartCraft.Infrastructure.Api;

/// <summary>
/// Refuses a JSON request body whose strings hold control characters (NUL, escape, backspace, DEL, the C1 range)
/// with 422 naming each field by its JSON path (<c>title</c>, <c>config.x_label</c>). PostgreSQL cannot store NUL
/// in text or jsonb, so such a value would otherwise fail late, as a 500; the other controls are refused with it
/// because no chart title, label or name needs them and they corrupt logs, CSV exports and file names.
/// Tab, line feed and carriage return stay allowed: multi-line descriptions are ordinary.
/// Checked for every API body before it is bound, so no endpoint can forget it.
/// </summary>
public sealed class ControlCharacterGuardMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api") || !IsJson(request.ContentType))
        {
            await next(http);
            return;
        }

        request.EnableBuffering();
        byte[] body;
        using (var copy = new MemoryStream())
        {
            await request.Body.CopyToAsync(copy, http.RequestAborted);
            body = copy.ToArray();
        }
        request.Body.Position = 0;

        var errors = FindControlCharacters(body);
        if (errors.Count == 0)
        {
            await next(http);
            return;
        }
        await Problems.WriteAsync(http, StatusCodes.Status422UnprocessableEntity, "The request is invalid",
            "One or more fields contain control characters.", errors);
    }

    static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                                    || contentType.Contains("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Field path → message for every string value (and property name) with a refused character. JSON that does not
    /// parse yields nothing here: the binder answers it with its own 400.
    /// </summary>
    public static Dictionary<string, string[]> FindControlCharacters(ReadOnlySpan<byte> json)
    {
        var errors = new Dictionary<string, string[]>();
        var path = new List<string>();
        string? pendingName = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        // An array item has no name of its own: it is reported under its array's field.
                        path.Add(pendingName ?? "");
                        pendingName = null;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        if (FirstRefused(pendingName) is { } inName)
                            errors.TryAdd(FieldOf(path, null), [$"has a property name with the control character {inName}"]);
                        break;
                    case JsonTokenType.String:
                        if (FirstRefused(ReadString(ref reader)) is { } found)
                            errors.TryAdd(FieldOf(path, pendingName), [$"must not contain control characters (found {found})"]);
                        pendingName = null;
                        break;
                    default:
                        pendingName = null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }
        return errors;
    }

    /// <summary>"config.x_label" for a property, the enclosing field for an array item, "body" at the top.</summary>
    static string FieldOf(List<string> path, string? name)
    {
        var parts = path.Where(p => p.Length > 0).ToList();
        if (name is not null) parts.Add(name);
        return parts.Count == 0 ? "body" : string.Join('.', parts);
    }

    static string? ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800"): not text, and PostgreSQL cannot store it either.
            return "\0";
        }
    }

    /// <summary>The first refused character as "U+0000", or null.</summary>
    public static string? FirstRefused(string? text)
    {
        if (text is null) return null;
        foreach (var c in text)
            if (IsRefused(c)) return $"U+{(int)c:X4}";
        return null;
    }

    static bool IsRefused(char c) => (c < ' ' && c is not ('\t' or '\n' or '\r')) || c is >= '\u007f' and <= '\u009f';
}
