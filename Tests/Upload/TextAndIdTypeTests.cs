using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;
using ChartCraft.Features.Upload.Parsing;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Upload;

/// <summary>
/// Which short strings are read (text), which identify rows (id) and which group them (categorical), on real files:
/// people's names and street addresses are text, unique airport codes are ids, states, cities and plans stay categories.
/// </summary>
public sealed class TextAndIdTypeTests
{
    static DataSet Read(string path) => DataFileReader.Read(path, Path.GetFileName(path), null, DataFileLimits.Default).Data;

    [Fact]
    public void customer_names_and_street_addresses_are_text_while_their_cities_states_and_plans_are_categories()
    {
        var customers = Read(UploadFiles.Data("customers.csv"));

        customers.Find("name")!.Type.ShouldBe(ColumnTypes.Text);
        customers.Find("street_address")!.Type.ShouldBe(ColumnTypes.Text);
        customers.Find("customer_id")!.Type.ShouldBe(ColumnTypes.Id);
        customers.Find("city")!.Type.ShouldBe(ColumnTypes.Categorical);
        customers.Find("state")!.Type.ShouldBe(ColumnTypes.Categorical);
        customers.Find("plan")!.Type.ShouldBe(ColumnTypes.Categorical);
    }

    [Fact]
    public void a_lookup_table_of_first_names_is_text()
    {
        // vega-datasets lookup_people.csv: name, age, height of nine people.
        var people = Read(UploadFiles.Data("lookup_people.csv"));

        people.Find("name")!.Type.ShouldBe(ColumnTypes.Text);
        people.Find("age")!.Type.ShouldBe(ColumnTypes.Numeric);
    }

    [Fact]
    public void a_list_of_monarchs_with_regnal_numbers_is_text()
    {
        // vega-datasets monarchs.csv: Elizabeth, James I … George IV, W&M.
        Read(UploadFiles.Data("monarchs.csv")).Find("name")!.Type.ShouldBe(ColumnTypes.Text);
    }

    [Fact]
    public void addresses_are_text_by_their_shape_under_any_header()
    {
        var column = TypeInference.InferColumn("deliver_to",
            ["221B Baker Street", "10 Downing St", "1600 Pennsylvania Ave NW", "350 Fifth Avenue", "4059 Mt Lee Drive", "Hauptstraße 5"]);

        column.Type.ShouldBe(ColumnTypes.Text);
    }

    [Fact]
    public void unique_three_letter_airport_codes_are_ids()
    {
        // Every origin of vega-datasets flights-airport.csv once, with its flights: 303 airports.
        var origins = VegaDatasets.Rows("flights-airport.csv").GroupBy(r => r[0]).Select(g => g.Key).ToArray();
        origins.Length.ShouldBe(303);

        var column = TypeInference.InferColumn("origin", origins);

        column.Type.ShouldBe(ColumnTypes.Id);
    }

    [Fact]
    public void repeated_airport_codes_and_a_small_table_of_state_codes_stay_categories()
    {
        VegaDatasets.Read("flights-airport.csv").Find("origin")!.Type.ShouldBe(ColumnTypes.Categorical);
        VegaDatasets.Read("obesity.csv").Find("state")!.Type.ShouldBe(ColumnTypes.Categorical); // AL, AK… once each
    }

    [Fact]
    public void state_names_under_a_name_header_stay_categorical_even_when_each_appears_once()
    {
        // vega-datasets income.csv names each state many times; once each, they are still labels to group by.
        var states = VegaDatasets.Rows("income.csv").Select(r => r[0]).Distinct().ToArray();
        states.ShouldContain("New York");

        TypeInference.InferColumn("name", states).Type.ShouldBe(ColumnTypes.Categorical);
        VegaDatasets.Read("income.csv").Find("name")!.Type.ShouldBe(ColumnTypes.Categorical);
    }

    [Fact]
    public void two_word_labels_without_a_person_header_stay_categorical()
    {
        TypeInference.InferColumn("city", ["New York", "Los Angeles", "San Diego", "Kansas City", "El Paso", "Fort Worth"])
            .Type.ShouldBe(ColumnTypes.Categorical);
        TypeInference.InferColumn("category", ["Office Supplies", "Home Appliances", "Garden Tools", "Pet Food", "Office Supplies"])
            .Type.ShouldBe(ColumnTypes.Categorical);
    }
}
