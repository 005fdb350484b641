using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Infrastructure.Errors;

namespace ChartCraft.Tests.Upload;

public sealed class CsvReadingTests : IDisposable
{
    readonly UploadFiles _files = new();

    public void Dispose() => _files.Dispose();

    static ParsedFile Read(string path, string? fileName = null) =>
        DataFileReader.Read(path, fileName ?? Path.GetFileName(path), null, DataFileLimits.Default);

    [Fact]
    public void quoted_fields_keep_separators_escaped_quotes_and_line_breaks()
    {
        var parsed = Read(UploadFiles.Data("quoted-multiline.csv"));

        parsed.Delimiter.ShouldBe(",");
        parsed.Data.RowCount.ShouldBe(4);
        parsed.Data.Find("customer")!.Raw.ShouldBe(["Smith, John", "Doe, Jane", "Plain Customer", "O'Brien, Pat"]);
        parsed.Data.Find("comment")!.Raw.ShouldBe(["He said \"ship it today\"", "Leave at the door.\r\nRing twice.", null, "Gift; wrap it"]);
        parsed.Data.Find("amount")!.Numbers.ShouldBe([10.5, 20, 30.25, 7]);
        parsed.Data.Find("order_id")!.Type.ShouldBe(ColumnTypes.Id);
        parsed.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void a_semicolon_file_with_decimal_commas_is_read_the_european_way()
    {
        var parsed = Read(UploadFiles.Data("european-sales.csv"));

        parsed.Delimiter.ShouldBe(";");
        parsed.Data.RowCount.ShouldBe(6);
        var revenue = parsed.Data.Find("Umsatz")!;
        revenue.Type.ShouldBe(ColumnTypes.Numeric);
        revenue.Format.ShouldBe("#.##0,##");
        revenue.Numbers.ShouldBe([1234.5, 987.25, 12500.0, 2000.1, -150.0, 1000.0]);
        var share = parsed.Data.Find("Anteil")!;
        share.Unit.ShouldBe("%");
        share.Numbers.ShouldBe([12.5, 7.75, 30, 4.5, -0.5, 1.25]);
        var date = parsed.Data.Find("Datum")!;
        date.Type.ShouldBe(ColumnTypes.Datetime);
        date.Format.ShouldBe("dd.MM.yyyy");
        date.Dates![0].ShouldBe(new DateTime(2024, 1, 5, 0, 0, 0, DateTimeKind.Utc));
        date.Dates![5].ShouldBe(new DateTime(2024, 2, 9, 0, 0, 0, DateTimeKind.Utc));
        parsed.Data.Find("Filiale")!.Type.ShouldBe(ColumnTypes.Categorical);
        parsed.Data.Find("Menge")!.Numbers.ShouldBe([3, 12, 1, 7, 2, 4]);
    }

    [Fact]
    public void a_tsv_keeps_commas_inside_its_text()
    {
        var parsed = Read(UploadFiles.Data("regions.tsv"));

        parsed.FileType.ShouldBe("tsv");
        parsed.Delimiter.ShouldBe("\t");
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["region", "manager", "sales", "notes"]);
        parsed.Data.Find("notes")!.Raw[2].ShouldBe("New office, Boston");
        parsed.Data.Find("sales")!.Numbers.ShouldBe([1200.5, 980, 1500.25, 1100]);
    }

    [Fact]
    public void pipe_separated_text_is_detected()
    {
        var path = _files.WriteText("pipes.txt", "code|label|qty\nA1|First|3\nB2|Second|4\nC3|Third|5\n");

        var parsed = Read(path);

        parsed.Delimiter.ShouldBe("|");
        parsed.Data.Find("qty")!.Numbers.ShouldBe([3, 4, 5]);
    }

    [Fact]
    public void an_excel_separator_line_sets_the_separator_and_is_not_data()
    {
        var parsed = Read(_files.WriteText("excel.csv", "sep=;\r\nname;amount\r\nA;1,5\r\nB;2,25\r\n"));

        parsed.Delimiter.ShouldBe(";");
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["name", "amount"]);
        parsed.Data.Find("amount")!.Numbers.ShouldBe([1.5, 2.25]);
    }

    [Fact]
    public void crlf_and_lf_line_endings_read_the_same()
    {
        var lf = Read(_files.WriteText("lf.csv", "a,b\n1,x\n2,y\n"));
        var crlf = Read(_files.WriteText("crlf.csv", "a,b\r\n1,x\r\n2,y\r\n"));

        crlf.Data.RowCount.ShouldBe(lf.Data.RowCount);
        crlf.Data.Find("b")!.Raw.ShouldBe(lf.Data.Find("b")!.Raw);
        crlf.Data.Find("b")!.Raw.ShouldBe(["x", "y"]);
    }

    [Fact]
    public void a_single_column_file_has_no_delimiter()
    {
        var parsed = Read(_files.WriteText("names.csv", "name\nAda\nGrace\nKatherine\n"));

        parsed.Delimiter.ShouldBeNull();
        parsed.Data.Columns.Single().Raw.ShouldBe(["Ada", "Grace", "Katherine"]);
    }

    [Fact]
    public void a_header_without_rows_is_refused_with_422()
    {
        var problem = Should.Throw<ProblemException>(() => Read(UploadFiles.Data("header-only.csv")));

        problem.Status.ShouldBe(422);
        problem.Title.ShouldBe("The file cannot be parsed");
        problem.Detail.ShouldBe("The file has a header row but no data rows.");
    }

    [Fact]
    public void a_file_of_blank_lines_and_separators_is_refused_with_422()
    {
        var problem = Should.Throw<ProblemException>(() => Read(_files.WriteText("blank.csv", "\n  \n,,,\n , , \n")));

        problem.Status.ShouldBe(422);
        problem.Detail.ShouldBe("The file contains no data: no row has a value.");
    }

    [Fact]
    public void ragged_rows_are_kept_padded_or_cut_and_counted_in_a_warning()
    {
        var parsed = Read(UploadFiles.Data("ragged-rows.csv"));

        parsed.Data.RowCount.ShouldBe(20);
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["city", "population", "area"]);
        // Rows 6 and 10 of the file (City5, City9) are short; row 15 (City14) has an extra cell.
        parsed.Warnings.ShouldBe([
            "3 rows had a different number of cells than the header (first: row 6): short rows were padded with empty cells and long rows cut to 3 cells.",
        ]);
        var area = parsed.Data.Find("area")!;
        area.Type.ShouldBe(ColumnTypes.Numeric);
        area.Numbers![3].ShouldBe(6.0);
        area.Numbers![4].ShouldBeNull();
        area.Numbers![13].ShouldBe(21.0);
        parsed.Data.Find("population")!.Numbers![8].ShouldBe(9000);
    }

    [Fact]
    public void a_ragged_row_is_named_by_its_position_in_the_file_even_after_skipped_rows()
    {
        var parsed = Read(_files.WriteText("gap.csv", "a,b,c\n1,2,3\n,,\n4,5\n6,7,8\n"));

        parsed.Data.RowCount.ShouldBe(3);
        parsed.Warnings.ShouldContain("1 row had a different number of cells than the header (row 4): it was padded with empty cells or cut to 3 cells.");
    }

    [Fact]
    public void a_file_whose_first_row_is_data_gets_generated_column_names()
    {
        var parsed = Read(UploadFiles.Data("headerless.csv"));

        parsed.Data.RowCount.ShouldBe(4);
        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["column_1", "column_2", "column_3", "column_4"]);
        parsed.Data.Columns.Select(c => c.Type).ShouldBe([ColumnTypes.Datetime, ColumnTypes.Categorical, ColumnTypes.Numeric, ColumnTypes.Numeric]);
        parsed.Data.Columns[2].Numbers![0].ShouldBe(1200.5);
        parsed.Warnings.ShouldContain("The first row holds data, not column names: the columns were named column_1, column_2, …");
    }

    [Fact]
    public void column_names_are_trimmed_de_blanked_and_de_duplicated()
    {
        var path = _files.WriteText("names.csv", " Sales ,,sales,Region\t, sales_2 ,\"Net\nSales\"\n1,2,3,North,5,6\n7,8,9,South,11,12\n");

        var parsed = Read(path);

        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["Sales", "column_2", "sales_3", "Region", "sales_2", "Net Sales"]);
    }

    [Fact]
    public void a_title_line_above_the_header_is_skipped()
    {
        var path = _files.WriteText("report.csv", "Monthly sales report\nmonth,revenue\n2024-01,100\n2024-02,120\n");

        var parsed = Read(path);

        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["month", "revenue"]);
        parsed.Data.RowCount.ShouldBe(2);
        parsed.Data.Find("month")!.Format.ShouldBe("yyyy-MM");
        parsed.Warnings.ShouldContain("The title row \"Monthly sales report\" above the table was skipped.");
    }

    [Fact]
    public void empty_rows_between_data_are_skipped_and_counted()
    {
        var path = _files.WriteText("gaps.csv", "a,b\n1,2\n,\n3,4\n\n5,6\n");

        var parsed = Read(path);

        parsed.Data.RowCount.ShouldBe(3);
        parsed.Data.Find("a")!.Numbers.ShouldBe([1, 3, 5]);
        parsed.Warnings.ShouldContain("1 empty row was skipped.");
    }

    [Fact]
    public void a_trailing_separator_on_every_line_adds_no_column()
    {
        var parsed = Read(_files.WriteText("trailing.csv", "a,b,\n1,2,\n3,4,\n"));

        parsed.Data.Columns.Select(c => c.Name).ShouldBe(["a", "b"]);
        parsed.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void currency_and_percent_columns_keep_their_units()
    {
        var parsed = Read(UploadFiles.Data("currency-percent.csv"));

        var price = parsed.Data.Find("price")!;
        price.Unit.ShouldBe("$");
        price.Format.ShouldBe("#,##0.##");
        price.Numbers.ShouldBe([1234.5, 980, 12000, 45.25]);
        var refund = parsed.Data.Find("refund")!;
        refund.Unit.ShouldBe("$");
        refund.Numbers.ShouldBe([-99.0, -1234.5, -0.5, null]);
        refund.NullCount.ShouldBe(1);
        var growth = parsed.Data.Find("growth")!;
        growth.Unit.ShouldBe("%");
        growth.Numbers.ShouldBe([12.5, -3.2, 0.75, 100]);
        parsed.Data.Find("price_eur")!.Unit.ShouldBe("€");
        parsed.Data.Find("price_eur")!.Numbers.ShouldBe([9.99, 19.5, 4, 120]);
        parsed.Data.Find("price_gbp")!.Unit.ShouldBe("£");
        parsed.Data.Find("price_jpy")!.Unit.ShouldBe("¥");
        parsed.Data.Find("price_jpy")!.Numbers.ShouldBe([1200, 850, 15000, 99]);
    }

    [Fact]
    public void date_columns_decide_day_and_month_order_from_their_own_values()
    {
        var parsed = Read(UploadFiles.Data("mixed-dates.csv"));

        var uk = parsed.Data.Find("uk_date")!;
        uk.Format.ShouldBe("dd/MM/yyyy");
        uk.Dates.ShouldBe([Utc(2023, 12, 25), Utc(2024, 1, 3), Utc(2024, 2, 15), Utc(2024, 3, 1)]);
        var us = parsed.Data.Find("us_date")!;
        us.Format.ShouldBe("MM/dd/yyyy");
        us.Dates.ShouldBe(uk.Dates);
        var ambiguous = parsed.Data.Find("ambiguous_date")!;
        ambiguous.Format.ShouldBe("MM/dd/yyyy");
        ambiguous.Dates![0].ShouldBe(Utc(2024, 1, 2));
        parsed.Warnings.ShouldContain("Column 'ambiguous_date': no date has a day above 12, so day and month cannot be told apart; read as month/day/year.");
        parsed.Data.Find("month")!.Format.ShouldBe("MMM yyyy");
        parsed.Data.Find("month")!.Dates![1].ShouldBe(Utc(2024, 2, 1));
        parsed.Data.Find("published")!.Format.ShouldBe("MMMM d, yyyy");
        parsed.Data.Find("published")!.Dates![3].ShouldBe(Utc(2024, 4, 30));
    }

    [Fact]
    public void timestamps_with_offsets_are_converted_to_utc()
    {
        var parsed = Read(UploadFiles.Data("mixed-dates.csv"));

        var reading = parsed.Data.Find("reading_at")!;
        reading.Type.ShouldBe(ColumnTypes.Datetime);
        reading.Dates.ShouldBe([
            new DateTime(2024, 3, 10, 6, 0, 0, DateTimeKind.Utc),
            new DateTime(2024, 3, 10, 23, 30, 0, DateTimeKind.Utc),
            new DateTime(2024, 3, 11, 6, 15, 0, DateTimeKind.Utc),
            new DateTime(2024, 3, 12, 12, 0, 0, DateTimeKind.Utc),
        ]);
        reading.ValueAt(0).ShouldBe("2024-03-10T06:00:00Z");
    }

    static DateTime Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);
}
