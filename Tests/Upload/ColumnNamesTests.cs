using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Parsing;

namespace ChartCraft.Tests.Upload;

public sealed class ColumnNamesTests
{
    [Fact]
    public void names_are_trimmed_and_inner_whitespace_collapsed()
    {
        ColumnNames.Clean(["  Revenue  ", "Net\r\nSales", "\uFEFFid", "a\t b"]).ShouldBe(["Revenue", "Net Sales", "id", "a b"]);
    }

    [Fact]
    public void blank_names_are_named_after_their_position()
    {
        ColumnNames.Clean(["date", null, "  ", "value"]).ShouldBe(["date", "column_2", "column_3", "value"]);
    }

    [Fact]
    public void repeated_names_get_a_suffix_ignoring_case_without_clashing_with_existing_names()
    {
        ColumnNames.Clean(["value", "Value", "value_2", "VALUE"]).ShouldBe(["value", "Value_3", "value_2", "VALUE_4"]);
    }

    [Fact]
    public void a_generated_name_that_the_file_also_uses_is_de_duplicated()
    {
        ColumnNames.Clean(["column_2", null]).ShouldBe(["column_2", "column_2_2"]);
    }

    [Fact]
    public void very_long_names_are_cut()
    {
        ColumnNames.Clean([new string('x', 500)])[0].Length.ShouldBe(ColumnNames.MaxLength);
    }
}

public sealed class HeaderDetectorTests
{
    [Fact]
    public void a_text_row_over_numbers_is_a_header()
    {
        HeaderDetector.FirstRowIsHeader([["name", "score"], ["Ada", "91"], ["Grace", "85"]]).ShouldBeTrue();
    }

    [Fact]
    public void a_row_of_numbers_and_dates_is_data()
    {
        HeaderDetector.FirstRowIsHeader([["2024-01-01", "12.5"], ["2024-01-02", "13"]]).ShouldBeFalse();
    }

    [Fact]
    public void an_all_text_file_has_a_header()
    {
        HeaderDetector.FirstRowIsHeader([["city", "country"], ["Oslo", "Norway"]]).ShouldBeTrue();
    }

    [Fact]
    public void single_letter_names_over_numbers_are_a_header_not_booleans()
    {
        HeaderDetector.FirstRowIsHeader([["x", "y"], ["1.5", "2"], ["3", "4.25"]]).ShouldBeTrue();
    }

    [Fact]
    public void increasing_years_are_the_header_of_a_wide_table()
    {
        HeaderDetector.FirstRowIsHeader([["2019", "2020", "2021"], ["10", "12", "15"], ["7", "9", "11"]]).ShouldBeTrue();
    }

    [Fact]
    public void a_label_column_and_increasing_years_are_the_header_of_a_wide_table()
    {
        HeaderDetector.FirstRowIsHeader([["country", "2019", "2020", "2021"], ["Norway", "10", "12", "15"], ["Chile", "7", "9", "11"]]).ShouldBeTrue();
    }

    [Fact]
    public void a_data_row_with_a_date_and_increasing_numbers_is_not_mistaken_for_years()
    {
        HeaderDetector.FirstRowIsHeader([["2024-01-01", "North", "1999", "2005"], ["2024-01-02", "South", "1500", "1700"]]).ShouldBeFalse();
    }

    [Fact]
    public void month_names_over_numbers_are_a_header()
    {
        HeaderDetector.FirstRowIsHeader([["product", "2024-01", "2024-02"], ["Tea", "10", "12"], ["Coffee", "7", "9"]]).ShouldBeTrue();
    }
}
