namespace ChartCraft.Features.Upload.Parsing;

/// <summary>A table as read from a file, before typing: clean column names and the normalized cells of each column.</summary>
public sealed record RawTable(string[] Names, CellTexts[] Columns, int RowCount);
