using System.Text;

namespace ChartCraft.Features.Upload.Inference;

/// <summary>Names the layout of a date column in .NET custom format notation, e.g. "dd/MM/yyyy" or "yyyy-MM-ddTHH:mm:ssK".</summary>
public static class DateFormats
{
    public static string Describe(DateParts p, bool dayFirst)
    {
        var month = p.LongMonthName ? "MMMM" : "MMM";
        var year = p.ShortYear ? "yy" : "yyyy";
        var sep = p.Separator;
        var date = p.Shape switch
        {
            DateShape.Year => "yyyy",
            DateShape.YearMonth => "yyyy-MM",
            DateShape.YearMonthDay => $"yyyy{sep}MM{sep}dd",
            DateShape.Numeric => dayFirst ? $"dd{sep}MM{sep}{year}" : $"MM{sep}dd{sep}{year}",
            DateShape.DayMonthName => sep == ' ' ? $"d {month} {year}" : $"dd{sep}{month}{sep}{year}",
            DateShape.MonthNameDay => $"{month} d, {year}",
            DateShape.MonthNameYear => $"{month}{sep}{year}",
            _ => "",
        };
        if (p.Time == TimeStyle.None) return date;

        var text = new StringBuilder(date).Append(p.TimeAfterT ? 'T' : ' ');
        text.Append(p.Time switch
        {
            TimeStyle.HoursMinutes => "HH:mm",
            TimeStyle.Seconds => "HH:mm:ss",
            TimeStyle.Fraction => "HH:mm:ss.FFFFFFF",
            _ => "h:mm tt",
        });
        if (p.Zone != ZoneStyle.None) text.Append('K');
        return text.ToString();
    }
}
