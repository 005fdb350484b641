namespace ChartCraft.Features.Upload.Inference;

/// <summary>
/// What the file says about conventions that a column's own values may leave open: a ';'-delimited file or
/// other columns with decimal commas point to European notation, where 1.234 is a thousand and 05/01 is 5 January.
/// </summary>
/// <param name="DecimalComma">Read "1,234" and "1.234" (the texts a column's values cannot decide) with a decimal comma.</param>
/// <param name="DayFirst">Read dates like 05/01/2024 as dd/MM/yyyy when no value in the column has a day above 12.</param>
public sealed record InferenceHints(bool DecimalComma = false, bool DayFirst = false)
{
    public static InferenceHints Default { get; } = new();
}
