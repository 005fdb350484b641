using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Errors;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// A workbook of a few kilobytes can declare billions of cells (a dimension, a merged range, a row a million rows
/// down). The reader bounds the sheet before MiniExcel expands anything: beyond the limits it is refused with a 422
/// naming the limit, within them only the area holding values is read. Allocations are counted on the reading thread
/// (the reader is synchronous below 100 000 cells), so they are the reader's own.
/// </summary>
public sealed class XlsxLimitsTests : IDisposable
{
    /// <summary>Reading a three-cell-wide table costs about a megabyte; expanding any crafted shape costs hundreds.</summary>
    const long LightBytes = 16 * 1024 * 1024;

    readonly UploadFiles _files = new();

    public void Dispose() => _files.Dispose();

    static ParsedFile Read(string path) => DataFileReader.Read(path, "crafted.xlsx", null, DataFileLimits.Default);

    static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public static TheoryData<string, string?, string?, string, string> BeyondTheLimits => new()
    {
        // shape, dimension, merged range, rows after the table, what the detail says
        { "dimension and merge of the whole grid", "A1:XFD1048576", "A1:XFD1048576", "", "declares its dimension as A1:XFD1048576, reaching row 1,048,576; at most 1,000,000 rows are supported" },
        { "merge of the whole grid", null, "A1:XFD1048576", "", "merges the cells A1:XFD1048576, reaching row 1,048,576; at most 1,000,000 rows are supported" },
        { "merge as wide as Excel", null, "A1:XFD10", "", "merges the cells A1:XFD10, reaching column 16,384; at most 1,000 columns are supported" },
        { "merge of 20 million cells", null, "A1:ALL20000", "", "merges the cells A1:ALL20000, 20,000,000 cells; at most 10,485,760 cells are supported" },
        { "the probe's merge of 3 million cells", null, "A1:CV30000", "", "merges the cells A1:CV30000, 3,000,000 cells; at most 10,000 cells are supported in one merged range" },
        { "the probe's merge of 100 000 cells", null, "A1:J10000", "", "merges the cells A1:J10000, 100,000 cells; at most 10,000 cells are supported in one merged range" },
        { "dimension of 20 million cells", "A1:ALL20000", null, "", "declares its dimension as A1:ALL20000, 20,000,000 cells; at most 10,485,760 cells are supported" },
        { "a value in Excel's last row", null, null, """<row r="1048576"><c r="A1048576"><v>1</v></c></row>""", "has a row numbered 1,048,576; at most 1,000,000 rows are supported" },
        { "an empty row element in Excel's last row", null, null, """<row r="1048576"/>""", "has a row numbered 1,048,576; at most 1,000,000 rows are supported" },
        { "a value in column 1 001", null, null, """<row r="4"><c r="ALM4"><v>1</v></c></row>""", "has a cell in column ALM (1,001); at most 1,000 columns are supported" },
        { "values spread over 13 million cells", null, null, """<row r="500000"><c r="Z500000"><v>1</v></c></row>""", "holds values as far as Z500000, an area of 13,000,000 cells; at most 10,485,760 cells are supported" },
    };

    [Theory]
    [MemberData(nameof(BeyondTheLimits))]
    public void a_sheet_beyond_the_limits_is_refused_with_422_naming_the_limit_before_anything_is_expanded(
        string shape, string? dimension, string? merge, string rows, string reason)
    {
        var path = _files.Scratch("crafted.xlsx");
        XlsxFiles.WriteSmallTable(path, dimension, merge is null ? null : [merge], rows);

        ProblemException problem = null!;
        var allocated = AllocatedBy(() => problem = Should.Throw<ProblemException>(() => Read(path)));

        problem.Status.ShouldBe(422, shape);
        problem.Title.ShouldBe("The workbook exceeds safe limits");
        problem.Detail.ShouldBe($"The sheet 'Data' {reason}. Delete the unused rows and columns (or unmerge the cells) and save it again, or export the sheet as CSV.");
        allocated.ShouldBeLessThan(LightBytes, shape);
    }

    public static TheoryData<string, string?, string?> DeclaredBeyondTheValues => new()
    {
        { "stale dimension of 3 million cells", "A1:CV30000", null },
        { "merge of 10 000 cells away from the values", null, "E5:N1004" },
    };

    [Theory]
    [MemberData(nameof(DeclaredBeyondTheValues))]
    public void a_dimension_or_merge_within_the_limits_but_beyond_the_values_is_not_expanded(string shape, string? dimension, string? merge)
    {
        var path = _files.Scratch("crafted.xlsx");
        XlsxFiles.WriteSmallTable(path, dimension, merge is null ? null : [merge]);

        ParsedFile parsed = null!;
        var allocated = AllocatedBy(() => parsed = Read(path));

        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["region", "units", "price"], shape);
        parsed.Data.RowCount.ShouldBe(2);
        parsed.Data.Find("units")!.Numbers.ShouldBe([10, 20]);
        allocated.ShouldBeLessThan(LightBytes, shape);
    }

    [Fact]
    public void the_largest_merge_allowed_over_the_table_fills_only_the_table_with_its_value()
    {
        // A1 merged over A1:CV100 (10 000 cells). Every cell of the table shows A1, as in Excel; nothing past it is made.
        var path = _files.Scratch("crafted.xlsx");
        XlsxFiles.WriteSmallTable(path, merges: ["A1:CV100"]);

        ParsedFile parsed = null!;
        var allocated = AllocatedBy(() => parsed = Read(path));

        parsed.Data.Columns.Count.ShouldBe(3);
        parsed.Data.Columns.ShouldAllBe(c => c.Raw!.All(t => t == "region"));
        allocated.ShouldBeLessThan(LightBytes);
    }

    [Fact]
    public void merged_cells_of_a_normal_workbook_take_the_value_of_their_top_left_cell()
    {
        var path = _files.Scratch("report.xlsx");
        XlsxFiles.WriteGroupedReport(path, rows: 7);

        var parsed = Read(path);

        parsed.Data.RowCount.ShouldBe(7);
        // Rows 2–3, 4–5 and 6–7 are merged pairs; row 8 stands alone.
        parsed.Data.Find("region")!.Raw.ShouldBe(["South", "South", "West", "West", "North", "North", "South"]);
        parsed.Data.Find("units")!.Numbers.ShouldBe([2, 3, 4, 5, 6, 7, 8]);
    }

    [Fact]
    public void nul_characters_are_removed_from_cell_text_and_column_names()
    {
        // OOXML writes a NUL as _x0000_; PostgreSQL cannot store it.
        var path = _files.Scratch("nul.xlsx");
        XlsxFiles.Write(path, [new XlsxFiles.Sheet("Data", """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
            <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1</v></c></row>
            <row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>2</v></c></row>
            """)], ["re_x0000_gion", "units", "No_x0000_rth", "_x0000_"]);

        var parsed = Read(path);

        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["region", "units"]);
        parsed.Data.Find("region")!.Raw.ShouldBe(["North", null]);
    }
}
