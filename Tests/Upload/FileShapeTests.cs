using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// File-level shapes that a robustness check of damaged CSV files found misread: space separators, apostrophe quotes,
/// two tables in one file, all-empty columns and two-row headers. Each is read as a person would, with a warning saying
/// what was assumed; the shapes they resemble (spaces in values, blank lines, a first data row) are read as before.
/// </summary>
public sealed class FileShapeTests : IDisposable
{
    readonly UploadFiles _files = new();

    public void Dispose() => _files.Dispose();

    static ParsedFile Read(string path) => DataFileReader.Read(path, Path.GetFileName(path), null, DataFileLimits.Default);

    static string[] Names(ParsedFile parsed) => parsed.Data.Columns.Select(c => c.Name).ToArray();

    [Fact]
    public void a_space_separated_file_is_read_into_columns_with_its_quoted_values_whole()
    {
        var parsed = Read(UploadFiles.Data("station-rainfall.txt"));

        parsed.Delimiter.ShouldBe(" ");
        Names(parsed).ShouldBe(["year", "month", "station", "rainfall_mm", "max_temp_c", "sun_hours"]);
        parsed.Data.RowCount.ShouldBe(12);
        parsed.Data.Find("station")!.Raw.Take(3).ShouldBe(["Heathrow", "Oxford", "Kew Gardens"]);
        parsed.Data.Find("station")!.Type.ShouldBe(ColumnTypes.Categorical);
        parsed.Data.Find("rainfall_mm")!.Numbers!.Take(3).ShouldBe([64.2, 71.8, 60.4]);
        parsed.Warnings.ShouldBe(["Read as space-separated values."]);
    }

    [Fact]
    public void a_space_separated_file_read_again_from_storage_gives_the_same_table()
    {
        var path = UploadFiles.Data("station-rainfall.txt");
        var first = Read(path);

        var again = DataFileReader.Read(path, "station-rainfall.txt", null, DataFileLimits.Default, new TextFormat(first.Encoding, first.Delimiter));

        Names(again).ShouldBe(Names(first));
        again.Data.Find("station")!.Raw.ShouldBe(first.Data.Find("station")!.Raw);
    }

    [Fact]
    public void spaces_inside_the_values_of_a_comma_file_do_not_make_it_space_separated()
    {
        var parsed = Read(_files.WriteText("cities.csv",
            "city,state,population\nNew York,New York,8336817\nLos Angeles,California,3979576\nSan Antonio,Texas,1547253\nSan Diego,California,1423851\n"));

        parsed.Delimiter.ShouldBe(",");
        Names(parsed).ShouldBe(["city", "state", "population"]);
        parsed.Data.Find("city")!.Raw[0].ShouldBe("New York");
        parsed.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void a_single_column_of_two_word_values_stays_one_column()
    {
        var parsed = Read(_files.WriteText("names.txt", "full name\nAda Lovelace\nGrace Hopper\nKatherine Johnson\nAlan Turing\n"));

        parsed.Delimiter.ShouldBeNull();
        Names(parsed).ShouldBe(["full name"]);
        parsed.Data.Columns[0].Raw[1].ShouldBe("Grace Hopper");
    }

    [Fact]
    public void values_quoted_with_apostrophes_are_unquoted_and_keep_their_commas()
    {
        var parsed = Read(UploadFiles.Data("customers-apostrophes.csv"));

        Names(parsed).ShouldBe(["customer", "city", "state", "amount", "note"]);
        parsed.Data.RowCount.ShouldBe(5);
        parsed.Data.Find("customer")!.Raw.Take(2).ShouldBe(["Smith, John", "O'Brien, Pat"]);
        parsed.Data.Find("note")!.Raw[1].ShouldBe("gift, wrap it");
        parsed.Data.Find("amount")!.Numbers.ShouldBe([120.5, 75, 210, 64.99, 99.95]);
        parsed.Warnings.ShouldBe(["Values quoted with ' were unquoted."]);
    }

    [Fact]
    public void apostrophes_inside_values_of_an_ordinary_file_are_text()
    {
        var parsed = Read(_files.WriteText("notes.csv",
            "name,comment,score\nO'Brien,He said 'yes' twice,4\nD'Angelo,the '90s were 'fine',5\nSmith,'ok',3\n"));

        parsed.Data.Find("name")!.Raw[0].ShouldBe("O'Brien");
        parsed.Data.Find("comment")!.Raw[0].ShouldBe("He said 'yes' twice");
        parsed.Data.Find("comment")!.Raw[2].ShouldBe("'ok'");
        parsed.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void only_the_first_of_two_tables_is_read_and_a_warning_names_the_line_of_the_second()
    {
        var parsed = Read(UploadFiles.Data("sales-and-products.csv"));

        Names(parsed).ShouldBe(["region", "q1", "q2", "q3", "q4"]);
        parsed.Data.RowCount.ShouldBe(4);
        parsed.Data.Find("region")!.Raw.ShouldBe(["North", "South", "East", "West"]);
        parsed.Data.Find("q4")!.Numbers.ShouldBe([160, 125, 170, 99]);
        parsed.Warnings.ShouldBe(["The file holds a second table from line 7; only the first table was read."]);
    }

    [Fact]
    public void a_second_table_of_the_same_width_is_found_by_its_header()
    {
        var parsed = Read(_files.WriteText("two-years.csv",
            "month,orders,revenue\n2024-01,120,5400\n2024-02,131,5900\n\n\nmonth,orders,revenue\n2023-01,99,4100\n2023-02,104,4420\n"));

        parsed.Data.RowCount.ShouldBe(2);
        parsed.Warnings.ShouldBe(["The file holds a second table from line 6; only the first table was read."]);
    }

    [Theory]
    [InlineData("blank line at the end", "a,b\n1,2\n3,4\n\n\n")]
    [InlineData("blank line between header and data", "a,b\n\n1,2\n3,4\n")]
    [InlineData("blank lines between rows of the same shape", "a,b\n1,2\n\n3,4\n")]
    public void blank_lines_alone_are_no_second_table(string _, string csv)
    {
        var parsed = Read(_files.WriteText("blank.csv", csv));

        parsed.Data.Find("a")!.Numbers.ShouldBe([1, 3]);
        parsed.Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void an_all_empty_last_column_of_a_headerless_file_is_kept_and_named_like_the_others()
    {
        var parsed = Read(UploadFiles.Data("headerless-empty-last.csv"));

        Names(parsed).ShouldBe(["column_1", "column_2", "column_3", "column_4", "column_5"]);
        parsed.Data.RowCount.ShouldBe(4);
        var empty = parsed.Data.Find("column_5")!;
        empty.Type.ShouldBe(ColumnTypes.Text); // all-missing columns are text, as in a file with a header
        empty.NullCount.ShouldBe(4);
        parsed.Data.Find("column_3")!.Numbers![0].ShouldBe(1200.5);
    }

    [Fact]
    public void an_empty_column_with_a_name_is_kept_whatever_its_place()
    {
        var parsed = Read(_files.WriteText("orders.csv", "notes,date,amount,comment\n,2024-01-01,10,\n,2024-01-02,12,\n,2024-01-03,9,\n"));

        Names(parsed).ShouldBe(["notes", "date", "amount", "comment"]);
        parsed.Data.Find("comment")!.Type.ShouldBe(ColumnTypes.Text);
        parsed.Data.Find("comment")!.NullCount.ShouldBe(3);
    }

    [Fact]
    public void a_header_over_two_rows_is_merged_into_one_name_per_column()
    {
        var parsed = Read(UploadFiles.Data("regional-sales-two-row-header.csv"));

        Names(parsed).ShouldBe(["Region", "Sales 2023", "Sales 2024", "Profit 2023", "Profit 2024"]);
        parsed.Data.RowCount.ShouldBe(4);
        parsed.Data.Find("Sales 2024")!.Numbers.ShouldBe([1350, 1010, 1620, 1180]);
        parsed.Data.Find("Region")!.Raw[0].ShouldBe("North");
        parsed.Warnings.ShouldBe(["The header spans two rows; names were merged, e.g. 'Sales 2023'."]);
    }

    [Theory]
    [InlineData("a first row of labels over labels", "region,manager,units\nNorth,Ann Lee,12\nSouth,Bo Chen,7\nEast,Cy Diaz,9\n")]
    [InlineData("a first row of numbers", "year,units,price\n2019,12,3.5\n2020,7,3.75\n2021,9,4\n")]
    public void a_second_row_that_holds_data_stays_data(string _, string csv)
    {
        var parsed = Read(_files.WriteText("plain.csv", csv));

        parsed.Data.RowCount.ShouldBe(3);
        parsed.Data.Columns.Count.ShouldBe(3);
        parsed.Warnings.ShouldBeEmpty();
    }
}
