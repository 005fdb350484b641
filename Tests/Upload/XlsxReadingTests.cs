using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Errors;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace ChartCraft.Tests.Upload;

public sealed class XlsxReadingTests : IDisposable
{
    readonly UploadFiles _files = new();

    public void Dispose() => _files.Dispose();

    static ParsedFile Read(string path, string? sheet = null) => DataFileReader.Read(path, "workbook.xlsx", sheet, DataFileLimits.Default);

    /// <summary>
    /// A report as people make them: a title in A1, a blank row, the table from B3 with a gap row, dates stored as
    /// serials with the built-in date format, percentages with built-in and custom formats; a second sheet.
    /// </summary>
    string Report()
    {
        var path = _files.Scratch("report.xlsx");
        string[] strings = ["Quarterly report", "Month", "Revenue", "Margin", "Region", "North", "South", "Target"];
        var sales = $"""
            <row r="1"><c r="A1" t="s"><v>0</v></c></row>
            <row r="3"><c r="B3" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c><c r="D3" t="s"><v>3</v></c><c r="E3" t="s"><v>4</v></c><c r="G3" s="0"/></row>
            <row r="4"><c r="B4" s="{XlsxFiles.DateStyle}"><v>45292</v></c><c r="C4"><v>1234.5</v></c><c r="D4" s="{XlsxFiles.PercentStyle}"><v>0.125</v></c><c r="E4" t="s"><v>5</v></c></row>
            <row r="5"><c r="B5" s="{XlsxFiles.DateStyle}"><v>45323</v></c><c r="C5"><v>2000</v></c><c r="D5" s="{XlsxFiles.CustomPercentStyle}"><v>0.07</v></c><c r="E5" t="s"><v>6</v></c></row>
            <row r="7"><c r="B7" s="{XlsxFiles.DateStyle}"><v>45352</v></c><c r="C7"><v>1500.25</v></c><c r="D7" s="{XlsxFiles.CustomPercentStyle}"><v>0.2</v></c><c r="E7" t="s"><v>5</v></c></row>
            """;
        var targets = """
            <row r="1"><c r="A1" t="s"><v>4</v></c><c r="B1" t="s"><v>7</v></c></row>
            <row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2"><v>5000</v></c></row>
            <row r="3"><c r="A3" t="s"><v>6</v></c><c r="B3"><v>4200</v></c></row>
            """;
        XlsxFiles.Write(path, [new XlsxFiles.Sheet("Sales 2024", sales), new XlsxFiles.Sheet("Targets", targets)], strings);
        return path;
    }

    [Fact]
    public void the_first_sheet_is_read_by_default_with_title_and_blank_rows_and_empty_columns_removed()
    {
        var parsed = Read(Report());

        parsed.FileType.ShouldBe("xlsx");
        parsed.Sheet.ShouldBe("Sales 2024");
        parsed.Encoding.ShouldBeNull();
        parsed.Delimiter.ShouldBeNull();
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["Month", "Revenue", "Margin", "Region"]);
        parsed.Data.RowCount.ShouldBe(3);
        parsed.Warnings.ShouldBe(["The title row \"Quarterly report\" above the table was skipped.", "1 empty row was skipped."], ignoreOrder: true);
    }

    [Fact]
    public void excel_serial_dates_become_dates_and_percent_formats_keep_the_percent_unit()
    {
        var parsed = Read(Report());

        var month = parsed.Data.Find("Month")!;
        month.Type.ShouldBe(ColumnTypes.Datetime);
        month.Format.ShouldBe("yyyy-MM-dd");
        // Serial 45292 is 2024-01-01 in Excel's 1900 date system.
        month.Dates.ShouldBe([Utc(2024, 1, 1), Utc(2024, 2, 1), Utc(2024, 3, 1)]);
        var margin = parsed.Data.Find("Margin")!;
        margin.Type.ShouldBe(ColumnTypes.Numeric);
        margin.Unit.ShouldBe("%");
        margin.Numbers.ShouldBe([12.5, 7, 20]);
        var revenue = parsed.Data.Find("Revenue")!;
        revenue.Unit.ShouldBeNull();
        revenue.Numbers.ShouldBe([1234.5, 2000, 1500.25]);
        parsed.Data.Find("Region")!.Type.ShouldBe(ColumnTypes.Categorical);
    }

    [Fact]
    public void a_sheet_can_be_chosen_by_name_ignoring_case()
    {
        var parsed = Read(Report(), "targets");

        parsed.Sheet.ShouldBe("Targets");
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["Region", "Target"]);
        parsed.Data.Find("Target")!.Numbers.ShouldBe([5000, 4200]);
    }

    [Fact]
    public void an_unknown_sheet_is_refused_with_422_listing_the_sheets()
    {
        var problem = Should.Throw<ProblemException>(() => Read(Report(), "Budget"));

        problem.Status.ShouldBe(422);
        problem.Title.ShouldBe("Unknown sheet");
        problem.Detail.ShouldBe("The workbook has no sheet named 'Budget'. Its sheets are: 'Sales 2024', 'Targets'.");
    }

    [Fact]
    public void a_workbook_written_by_miniexcel_keeps_dates_times_and_percentages()
    {
        var path = _files.Scratch("miniexcel.xlsx");
        var rows = Enumerable.Range(0, 30).Select(i => new Dictionary<string, object?>
        {
            ["order_date"] = new DateTime(2024, 1, 1).AddDays(i * 3),
            ["shipped_at"] = new DateTime(2024, 1, 1, 9, 30, 0).AddDays(i * 3),
            ["discount"] = i % 4 * 0.05,
            ["amount"] = 100 + i * 12.5,
            ["channel"] = i % 3 == 0 ? "web" : "store",
            ["express"] = i % 2 == 0,
        }).ToList();
        var configuration = new OpenXmlConfiguration
        {
            DynamicColumns =
            [
                new DynamicExcelColumn("order_date") { Format = "yyyy-mm-dd" },
                new DynamicExcelColumn("shipped_at") { Format = "yyyy-mm-dd hh:mm" },
                new DynamicExcelColumn("discount") { Format = "0%" },
            ],
        };
        MiniExcel.SaveAs(path, rows, configuration: configuration);

        var parsed = Read(path);

        parsed.Data.RowCount.ShouldBe(30);
        var orderDate = parsed.Data.Find("order_date")!;
        orderDate.Type.ShouldBe(ColumnTypes.Datetime);
        orderDate.Dates![29].ShouldBe(Utc(2024, 1, 1).AddDays(87));
        var shipped = parsed.Data.Find("shipped_at")!;
        shipped.Type.ShouldBe(ColumnTypes.Datetime);
        shipped.Dates![1].ShouldBe(new DateTime(2024, 1, 4, 9, 30, 0, DateTimeKind.Utc));
        var discount = parsed.Data.Find("discount")!;
        discount.Unit.ShouldBe("%");
        discount.Numbers!.Take(4).ShouldBe([0.0, 5, 10, 15]);
        parsed.Data.Find("amount")!.Numbers![29].ShouldBe(100 + 29 * 12.5);
        parsed.Data.Find("channel")!.Type.ShouldBe(ColumnTypes.Categorical);
        parsed.Data.Find("express")!.Type.ShouldBe(ColumnTypes.Boolean);
        parsed.Data.Find("express")!.Booleans![1].ShouldBe(false);
    }

    [Fact]
    public void a_sheet_with_only_a_header_is_refused_with_422()
    {
        var path = _files.Scratch("header.xlsx");
        XlsxFiles.Write(path, [new XlsxFiles.Sheet("Data", """<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>""")], ["name", "value"]);

        var problem = Should.Throw<ProblemException>(() => Read(path));

        problem.Status.ShouldBe(422);
        problem.Detail.ShouldBe("The file has a header row but no data rows.");
    }

    [Fact]
    public void a_sheet_part_that_declares_a_smaller_size_than_it_holds_is_read_only_that_far_and_refused_with_422()
    {
        var path = _files.Scratch("lying.xlsx");
        var rows = string.Concat(Enumerable.Range(2, 500).Select(r => $"""<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"""));
        XlsxFiles.Write(path, [new XlsxFiles.Sheet("Data", """<row r="1"><c r="A1" t="s"><v>0</v></c></row>""" + rows)], ["n"]);
        XlsxFiles.Tamper(path, "xl/worksheets/sheet1.xml", declaredSize: 400);

        var problem = Should.Throw<ProblemException>(() => Read(path));

        problem.Status.ShouldBe(422);
        problem.Detail!.ShouldStartWith("The workbook is damaged or uses features that cannot be read");
    }

    static DateTime Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);
}
