using System.Text.Json;
using ChartCraft.Features.Charts;
using ChartCraft.Infrastructure.Api;

namespace ChartCraft.Tests.Charts;

public class ChartRequestConfigTests
{
    /// <summary>The API's own serializer settings (snake_case both ways).</summary>
    static readonly JsonSerializerOptions Json = Options();

    static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions();
        Api.ConfigureJson(options);
        return options;
    }

    [Fact]
    public void y_column_binds_from_a_string_or_a_list()
    {
        JsonSerializer.Deserialize<ChartRequestConfig>("""{"x_column":"date","y_column":"revenue"}""", Json)!
            .YColumn.ShouldBe(["revenue"]);
        JsonSerializer.Deserialize<ChartRequestConfig>("""{"x_column":"date","y_column":["revenue","cost"]}""", Json)!
            .YColumn.ShouldBe(["revenue", "cost"]);
        JsonSerializer.Deserialize<ChartRequestConfig>("""{"x_column":"date","y_column":null}""", Json)!.YColumn.ShouldBeNull();
    }

    [Fact]
    public void color_scheme_binds_from_a_palette_name_or_a_list_of_colours()
    {
        JsonSerializer.Deserialize<ChartRequestConfig>("""{"color_scheme":"viridis"}""", Json)!.ColorScheme
            .ShouldBe(ColorScheme.Named("viridis"));
        var list = JsonSerializer.Deserialize<ChartRequestConfig>("""{"color_scheme":["#ff0000","rgb(0, 0, 255)"]}""", Json)!.ColorScheme!;
        list.Name.ShouldBeNull();
        list.Colors.ShouldBe(["#ff0000", "rgb(0, 0, 255)"]);
    }

    [Fact]
    public void every_field_binds_from_snake_case()
    {
        var config = JsonSerializer.Deserialize<ChartRequestConfig>("""
            {"x_column":"date","y_column":"sales","group_column":"region","aggregation":"median","time_unit":"quarter",
             "sort":"value_desc","limit":5,"color_scheme":"blue","stacked":true,"x_label":"Quarter","y_label":"Sales","bins":12}
            """, Json)!;
        config.ShouldBe(new ChartRequestConfig
        {
            XColumn = "date", YColumn = config.YColumn, GroupColumn = "region", Aggregation = "median", TimeUnit = "quarter",
            Sort = "value_desc", Limit = 5, ColorScheme = ColorScheme.Named("blue"), Stacked = true, XLabel = "Quarter", YLabel = "Sales", Bins = 12,
        });
        config.YColumn.ShouldBe(["sales"]);
    }

    [Fact]
    public void a_config_serializes_back_in_the_shape_it_came_in()
    {
        var single = JsonSerializer.Serialize(new ChartRequestConfig { XColumn = "date", YColumn = ["revenue"], ColorScheme = ColorScheme.Named("green") }, Json);
        single.ShouldContain("\"y_column\":\"revenue\"");
        single.ShouldContain("\"color_scheme\":\"green\"");
        single.ShouldNotContain("first_y_column");

        var several = JsonSerializer.Serialize(new ChartRequestConfig { XColumn = "date", YColumn = ["a", "b"], ColorScheme = ColorScheme.List("#fff", "#000") }, Json);
        several.ShouldContain("\"y_column\":[\"a\",\"b\"]");
        several.ShouldContain("\"color_scheme\":[\"#fff\",\"#000\"]");
    }

    [Fact]
    public void a_number_where_a_column_name_belongs_is_a_json_error()
    {
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<ChartRequestConfig>("""{"y_column":5}""", Json));
        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<ChartRequestConfig>("""{"y_column":["a",5]}""", Json));
    }
}
