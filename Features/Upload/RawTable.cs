namespace ChartCraft.Features.Upload;

/// <summary>A table as read from a file, before typing: clean column names and the cell texts of each column (null = empty).</summary>
public sealed record RawTable(string[] Names, string?[][] Columns, int RowCount);
