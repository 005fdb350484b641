using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;

namespace ChartCraft.Tests.Upload;

public sealed class TypeInferenceTests
{
    static DataColumn Infer(string name, params string?[] values) => TypeInference.InferColumn(name, values);

    static string[] Repeat(int count, Func<int, string> value) => Enumerable.Range(0, count).Select(value).ToArray();

    [Fact]
    public void a_column_is_numeric_when_95_percent_of_its_values_are_numbers_and_the_rest_are_counted_invalid()
    {
        var values = Repeat(19, i => (i * 10).ToString()).Append("unknown").ToArray();

        var column = Infer("amount", values);

        column.Type.ShouldBe(ColumnTypes.Numeric);
        column.InvalidCount.ShouldBe(1);
        column.Numbers![19].ShouldBeNull();
        column.Raw[19].ShouldBe("unknown");
        column.NullCount.ShouldBe(1);
    }

    [Fact]
    public void a_column_with_more_than_5_percent_non_numbers_is_not_numeric()
    {
        var values = Repeat(18, i => (i * 10).ToString()).Concat(["unknown", "pending"]).ToArray();

        Infer("amount", values).Type.ShouldNotBe(ColumnTypes.Numeric);
    }

    [Fact]
    public void missing_markers_are_nulls_and_do_not_count_against_the_type()
    {
        var column = Infer("score", "1", "NA", "N/A", "n/a", "null", "NULL", "-", "NaN", "#N/A", "<NA>", "", "  ", null, "2");

        column.Type.ShouldBe(ColumnTypes.Numeric);
        column.InvalidCount.ShouldBe(0);
        column.NullCount.ShouldBe(12);
        column.Numbers.ShouldBe([1, null, null, null, null, null, null, null, null, null, null, null, null, 2]);
        column.Raw[1].ShouldBeNull();
    }

    [Fact]
    public void none_is_a_category_not_a_missing_value()
    {
        // Bird strikes: "Effect Amount of damage" is None for most strikes, which is the answer, not a gap.
        var column = Infer("damage", "None", "Minor", "None", "Substantial", "None", "Medium", "None", "Minor", "None", "None");

        column.Type.ShouldBe(ColumnTypes.Categorical);
        column.NullCount.ShouldBe(0);
        column.Raw.Count(v => v == "None").ShouldBe(6);
    }

    [Fact]
    public void raw_values_are_trimmed_including_non_breaking_spaces()
    {
        var column = Infer("city", " Oslo ", "\u00A0Bergen\u00A0", "Oslo");

        column.Raw.ShouldBe(["Oslo", "Bergen", "Oslo"]);
    }

    [Fact]
    public void four_digit_numbers_under_a_year_header_are_years()
    {
        var column = Infer("Year", "1850", "1900", "1950", "2000");

        column.Type.ShouldBe(ColumnTypes.Datetime);
        column.Format.ShouldBe("yyyy");
        column.Dates![1].ShouldBe(new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        column.ValueAt(1).ShouldBe("1900-01-01");
    }

    [Theory]
    [InlineData("fiscal_yr")]
    [InlineData("Jahr")]
    [InlineData("Année")]
    [InlineData("releaseYear")]
    public void year_headers_in_several_spellings_and_languages_are_recognized(string header)
    {
        Infer(header, "2019", "2020", "2021").Type.ShouldBe(ColumnTypes.Datetime);
    }

    [Fact]
    public void the_same_numbers_under_a_count_header_stay_numeric()
    {
        var column = Infer("count", "1850", "1900", "1950", "2000");

        column.Type.ShouldBe(ColumnTypes.Numeric);
        column.Numbers![3].ShouldBe(2000);
    }

    [Fact]
    public void numbers_under_a_year_header_that_are_not_years_stay_numeric()
    {
        Infer("years_of_service", "3", "12", "27", "5").Type.ShouldBe(ColumnTypes.Numeric);
    }

    [Fact]
    public void four_digit_values_under_a_date_header_are_years_only_between_1800_and_2100()
    {
        Infer("period", "1990", "2000", "2010").Type.ShouldBe(ColumnTypes.Datetime);
        Infer("period", "1200", "1300", "1400").Type.ShouldBe(ColumnTypes.Numeric);
    }

    [Theory]
    [InlineData("is_active")]
    [InlineData("hasChildren")]
    [InlineData("deleted_flag")]
    [InlineData("Active")]
    public void zero_and_one_under_a_flag_header_are_booleans(string header)
    {
        var column = Infer(header, "1", "0", "0", "1");

        column.Type.ShouldBe(ColumnTypes.Boolean);
        column.Booleans.ShouldBe([true, false, false, true]);
    }

    [Fact]
    public void zero_and_one_under_another_header_are_numbers_in_a_few_rows()
    {
        Infer("children", "1", "0", "0", "1").Type.ShouldBe(ColumnTypes.Numeric);
    }

    [Fact]
    public void twenty_rows_of_nothing_but_zero_and_one_are_a_flag_whatever_the_header()
    {
        // The first 20 rows of FiveThirtyEight's candy-data "chocolate" column.
        string[] chocolate = ["1", "1", "0", "0", "0", "1", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0"];

        var column = Infer("chocolate", chocolate);

        column.Type.ShouldBe(ColumnTypes.Boolean);
        column.Booleans!.Count(b => b == true).ShouldBe(5);
        // Nineteen rows could as well be small counts; a 2 anywhere, or only zeros, is a number.
        Infer("chocolate", chocolate[..19]).Type.ShouldBe(ColumnTypes.Numeric);
        Infer("goals", [.. chocolate[..19], "2"]).Type.ShouldBe(ColumnTypes.Numeric);
        Infer("goals", [.. Enumerable.Repeat("0", 20)]).Type.ShouldBe(ColumnTypes.Numeric);
    }

    [Theory]
    [InlineData("true", "false", "TRUE")]
    [InlineData("yes", "no", "Yes")]
    [InlineData("y", "n", "Y")]
    [InlineData("t", "f", "T")]
    public void written_booleans_are_booleans(string yes, string no, string yesAgain)
    {
        var column = Infer("subscribed", yes, no, yesAgain, null);

        column.Type.ShouldBe(ColumnTypes.Boolean);
        column.Booleans.ShouldBe([true, false, true, null]);
    }

    [Fact]
    public void uuids_are_ids()
    {
        var values = Repeat(30, _ => Guid.NewGuid().ToString());

        var column = Infer("reference", values);

        column.Type.ShouldBe(ColumnTypes.Id);
        column.Format.ShouldBe("uuid");
    }

    [Fact]
    public void unique_codes_are_ids()
    {
        Infer("invoice", Repeat(40, i => $"INV-2024-{i:0000}")).Type.ShouldBe(ColumnTypes.Id);
    }

    [Fact]
    public void unique_integers_under_an_id_header_are_ids_and_keep_their_text()
    {
        var column = Infer("customerId", Repeat(25, i => (1000 + i).ToString()));

        column.Type.ShouldBe(ColumnTypes.Id);
        column.ValueAt(0).ShouldBe("1000");
    }

    [Fact]
    public void unique_integers_under_another_header_are_numbers()
    {
        Infer("population", Repeat(25, i => (1000 + i * 37).ToString())).Type.ShouldBe(ColumnTypes.Numeric);
    }

    [Fact]
    public void codes_with_leading_zeros_are_not_numbers()
    {
        var column = Infer("zip", "02134", "02139", "10001", "02134", "90210", "02139", "02134", "10001");

        column.Type.ShouldBe(ColumnTypes.Categorical);
        column.Raw[0].ShouldBe("02134");
    }

    [Fact]
    public void few_distinct_values_over_many_rows_are_categorical()
    {
        string[] regions = ["North", "South", "East", "West", "Central"];

        Infer("region", Repeat(500, i => regions[i % 5])).Type.ShouldBe(ColumnTypes.Categorical);
    }

    [Fact]
    public void short_labels_of_a_small_table_are_categorical_even_when_unique()
    {
        Infer("state", "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado").Type.ShouldBe(ColumnTypes.Categorical);
    }

    [Fact]
    public void long_mostly_unique_values_are_text()
    {
        var column = Infer("review", Repeat(40, i => $"Review number {i}: the product arrived on time and works as described, would buy again."));

        column.Type.ShouldBe(ColumnTypes.Text);
    }

    [Fact]
    public void many_distinct_short_names_in_a_large_table_are_text()
    {
        Infer("customer", Repeat(2000, i => $"Customer {i} Ltd")).Type.ShouldBe(ColumnTypes.Text);
    }

    [Fact]
    public void an_all_missing_column_is_text_with_only_nulls()
    {
        var column = Infer("notes", "", "NA", null);

        column.Type.ShouldBe(ColumnTypes.Text);
        column.NullCount.ShouldBe(3);
    }

    [Fact]
    public void day_first_dates_are_recognized_from_a_day_above_12()
    {
        var column = Infer("date", "03/04/2024", "25/04/2024", "01/05/2024");

        column.Format.ShouldBe("dd/MM/yyyy");
        column.Dates![0].ShouldBe(new DateTime(2024, 4, 3, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void ambiguous_numeric_dates_are_month_first_unless_the_file_is_european_and_a_warning_says_so()
    {
        var warnings = new List<string>();
        var us = TypeInference.InferColumn("when", ["03/04/2024", "05/06/2024"], InferenceHints.Default, warnings);
        var european = TypeInference.InferColumn("when", ["03/04/2024", "05/06/2024"], new InferenceHints(DayFirst: true));

        us.Format.ShouldBe("MM/dd/yyyy");
        us.Dates![0].ShouldBe(new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc));
        european.Format.ShouldBe("dd/MM/yyyy");
        european.Dates![0].ShouldBe(new DateTime(2024, 4, 3, 0, 0, 0, DateTimeKind.Utc));
        warnings.ShouldBe(["Column 'when': no date has a day above 12, so day and month cannot be told apart; read as month/day/year."]);
    }

    [Fact]
    public void a_date_contradicting_the_column_order_counts_as_invalid()
    {
        var values = Repeat(20, i => $"{i % 28 + 1:00}/{i % 12 + 1:00}/2024").Select((v, i) => i == 0 ? "13/25/2024" : v).ToArray();

        var column = Infer("date", values);

        column.Type.ShouldBe(ColumnTypes.Datetime);
        column.Format.ShouldBe("dd/MM/yyyy");
        column.InvalidCount.ShouldBe(1);
    }

    [Fact]
    public void the_decimal_separator_is_decided_per_column_from_the_values()
    {
        TypeInference.InferColumn("price", ["1.234", "12,5", "3,75"]).Numbers.ShouldBe([1234, 12.5, 3.75]);
        TypeInference.InferColumn("price", ["1,234", "12.5", "3.75"]).Numbers.ShouldBe([1234, 12.5, 3.75]);
    }

    [Fact]
    public void values_that_cannot_decide_the_decimal_separator_follow_the_file()
    {
        TypeInference.InferColumn("weight", ["1.234", "2.500"]).Numbers.ShouldBe([1.234, 2.5]);
        TypeInference.InferColumn("weight", ["1.234", "2.500"], new InferenceHints(DecimalComma: true)).Numbers.ShouldBe([1234, 2500]);
    }

    [Fact]
    public void a_scattering_of_scientific_values_does_not_make_the_column_scientific()
    {
        Infer("share", "0.5", "0.25", "9.9E-05", "0.125").Format.ShouldBeNull();
        Infer("mass", "1.2e30", "3.4e29", "5.0e31").Format.ShouldBe("0.##E+0");
    }

    [Fact]
    public void a_currency_column_names_its_symbol_as_unit()
    {
        var column = Infer("cost", "$10", "$1,250.00", "($3.50)");

        column.Unit.ShouldBe("$");
        column.Numbers.ShouldBe([10, 1250, -3.5]);
    }
}
