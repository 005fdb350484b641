using System.Globalization;

namespace ChartCraft.Infrastructure.Configuration;

/// <summary>
/// Reading one setting with the same spellings, checks and messages everywhere: every settings loader reads its
/// numbers and switches through here, and a bad value stops the start with an <see cref="InvalidConfigurationException"/>
/// naming the variable. A blank value counts as unset.
/// </summary>
public static class SettingValues
{
    /// <summary>The trimmed value, or null when unset or blank.</summary>
    public static string? Text(IConfiguration config, string key) => config[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>true/false, yes/no, 1/0 or on/off, in any case.</summary>
    public static bool Bool(IConfiguration config, string key, bool fallback)
    {
        var value = Text(config, key);
        if (value is null) return fallback;
        return value.ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new InvalidConfigurationException(key, $"'{value}' is not a boolean (true/false)"),
        };
    }

    public static int Int(IConfiguration config, string key, int fallback, int min, int max)
    {
        var value = Text(config, key);
        if (value is null) return fallback;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new InvalidConfigurationException(key, $"'{value}' must be a whole number between {min} and {max}");
    }

    /// <summary>
    /// A period in minutes, fractions allowed ("0.1" is 6 s) so drills and tests can watch several intervals of an
    /// hourly job; <paramref name="zeroTurnsOff"/> also accepts 0. Between <paramref name="min"/> and <paramref name="max"/>.
    /// </summary>
    public static TimeSpan Minutes(IConfiguration config, string key, double fallback, double min, double max, bool zeroTurnsOff = false)
    {
        var value = Text(config, key);
        if (value is null) return TimeSpan.FromMinutes(fallback);
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes)
               && ((minutes >= min && minutes <= max) || (zeroTurnsOff && minutes == 0))
            ? TimeSpan.FromMinutes(minutes)
            : throw new InvalidConfigurationException(key, $"'{value}' must be a number of minutes between {min} and {max}{(zeroTurnsOff ? " (or 0: off)" : "")}");
    }

    public static double Fraction(IConfiguration config, string key, double fallback)
    {
        var value = Text(config, key);
        if (value is null) return fallback;
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 1
            ? number
            : throw new InvalidConfigurationException(key, $"'{value}' must be a number between 0 and 1");
    }
}
