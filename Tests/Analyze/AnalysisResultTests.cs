using System.Text.Json;
using ChartCraft.Features.Analyze;
using ChartCraft.Features.Upload;
using ChartCraft.Infrastructure.Api;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Analyze;

public class AnalysisResultTests
{
    private static readonly JsonSerializerOptions ApiJson = CreateApiJson();

    private static JsonSerializerOptions CreateApiJson()
    {
        var options = new JsonSerializerOptions();
        Api.ConfigureJson(options);
        return options;
    }

    public static TheoryData<string> DataFiles => new()
    {
        "anscombe.csv", "seattle-weather-hourly-normals.csv", "population.csv", "ohlc.csv", "crimea.csv", "wheat.csv",
    };

    [Fact]
    public void a_basic_analysis_has_statistics_but_no_patterns_or_recommendations()
    {
        var data = VegaDatasets.Read("crimea.csv");

        var basic = DataAnalyzer.Analyze(data, full: false);
        var full = DataAnalyzer.Analyze(data, full: true);

        basic.AnalysisType.ShouldBe("basic");
        basic.RowCount.ShouldBe(24);
        basic.ColumnCount.ShouldBe(5);
        basic.Statistics.Keys.ShouldBe(["date", "wounds", "other", "disease", "army_size"]);
        basic.Patterns.ShouldBeEmpty();
        basic.Recommendations.ShouldBeEmpty();
        full.AnalysisType.ShouldBe("full");
        full.Patterns.ShouldNotBeEmpty();
        full.Recommendations.ShouldNotBeEmpty();
        JsonSerializer.Serialize(full.Statistics, ApiJson).ShouldBe(JsonSerializer.Serialize(basic.Statistics, ApiJson));
    }

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void patterns_have_a_strength_between_0_and_1_and_name_existing_columns(string file)
    {
        var data = VegaDatasets.Read(file);

        var result = DataAnalyzer.Analyze(data, full: true);

        result.Patterns.ShouldNotBeEmpty();
        result.Patterns.Select(p => p.Strength).ShouldBe(result.Patterns.Select(p => p.Strength).OrderDescending());
        foreach (var pattern in result.Patterns)
        {
            pattern.Strength.ShouldBeInRange(0, 1);
            pattern.Columns.ShouldNotBeEmpty();
            pattern.Columns.ShouldAllBe(c => data.Find(c) != null);
            pattern.Description.ShouldNotContain("NaN");
        }
        foreach (var recommendation in result.Recommendations)
        {
            recommendation.Columns.ShouldAllBe(c => data.Find(c) != null);
            if (recommendation.Chart is { } chart)
            {
                data.Find(chart.XColumn).ShouldNotBeNull();
                if (chart.YColumn is not null) data.Find(chart.YColumn).ShouldNotBeNull();
            }
        }
    }

    public static TheoryData<string, DataSet> EdgeCases => new()
    {
        { "no rows", new DataSetBuilder().Numeric("x", Array.Empty<double?>()).Dates("d", Array.Empty<DateTime?>()).Labels("c", []).Build() },
        { "one row", new DataSetBuilder().Numeric("x", [5.0]).Dates("d", [new DateTime(2024, 1, 1)]).Labels("c", ["a"]).Booleans("b", [true]).Build() },
        { "all missing", new DataSetBuilder().Numeric("x", [null, null]).Dates("d", new DateTime?[2]).Labels("c", [null, null]).Booleans("b", [null, null]).Build() },
        { "constant", new DataSetBuilder().Numeric("x", Enumerable.Repeat(3.0, 50)).Numeric("y", Enumerable.Repeat(3.0, 50))
            .Dates("d", DataSetBuilder.Days(new DateTime(2024, 1, 1), 50)).Build() },
        { "huge values", new DataSetBuilder().Numeric("x", [1e308, 1e308, -1e308, 1e308, 1e307, 1e308, 0, 1e308]).Numeric("y", [1, 2, 3, 4, 5, 6, 7, 8.0]).Build() },
        { "infinities", new DataSetBuilder().Numeric("x", [double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1]).Build() },
        { "columns shorter than the row count", new DataSet { RowCount = 3, Columns = [new DataColumn { Name = "x", Type = ColumnTypes.Numeric, Raw = ["1"], Numbers = [1] }] } },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void edge_cases_serialise_to_json_without_nan_or_infinity(string name, DataSet data)
    {
        var result = DataAnalyzer.Analyze(data, full: true);

        // The API's options reject NaN and infinities (strict number handling), so serialising is the check.
        var json = JsonSerializer.Serialize(result, ApiJson);
        json.ShouldNotContain("NaN", customMessage: name);
        json.ShouldNotContain("Infinity", customMessage: name);
    }

    [Theory]
    [MemberData(nameof(DataFiles))]
    public void real_data_sets_serialise_to_json_without_nan_or_infinity(string file)
    {
        var json = JsonSerializer.Serialize(DataAnalyzer.Analyze(VegaDatasets.Read(file), full: true), ApiJson);

        json.ShouldNotContain("NaN");
        json.ShouldNotContain("Infinity");
    }

    [Fact]
    public void the_json_is_snake_case_with_the_column_type_and_counts_first_in_each_statistics_object()
    {
        var result = DataAnalyzer.Analyze(VegaDatasets.Read("ohlc.csv"), full: true);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result, ApiJson));
        var root = json.RootElement;
        root.GetProperty("row_count").GetInt32().ShouldBe(44);
        var close = root.GetProperty("statistics").GetProperty("close");
        close.EnumerateObject().Take(5).Select(p => p.Name).ShouldBe(["type", "count", "missing", "invalid", "unique_count"]);
        close.GetProperty("type").GetString().ShouldBe("numeric");
        foreach (var key in new[] { "count", "missing", "mean", "median", "std", "min", "max", "q1", "q3", "outlier_count", "skew" })
            close.TryGetProperty(key, out _).ShouldBeTrue(key);
        var date = root.GetProperty("statistics").GetProperty("date");
        date.GetProperty("type").GetString().ShouldBe("datetime");
        date.GetProperty("frequency").GetString().ShouldBe("daily");
        date.GetProperty("min").GetString().ShouldBe("2009-06-01");
        var signal = root.GetProperty("statistics").GetProperty("signal");
        signal.GetProperty("top_values")[0].GetProperty("value").GetString().ShouldBe("short");
        var pattern = root.GetProperty("patterns")[0];
        pattern.GetProperty("type").GetString().ShouldBe("correlation");
        pattern.GetProperty("metrics").TryGetProperty("pearson", out _).ShouldBeTrue();
        root.GetProperty("recommendations").EnumerateArray()
            .ShouldContain(r => r.GetProperty("chart").ValueKind == JsonValueKind.Object && r.GetProperty("chart").GetProperty("chart_type").GetString() == "scatter");
    }

    [Fact]
    public void a_result_survives_a_json_round_trip_as_a_cache_would_store_it()
    {
        var result = DataAnalyzer.Analyze(VegaDatasets.Read("ohlc.csv"), full: true);
        var json = JsonSerializer.Serialize(result, ApiJson);

        var back = JsonSerializer.Deserialize<AnalysisResult>(json, ApiJson)!;

        back.Statistics["close"].ShouldBeOfType<NumericStatistics>().Median.ShouldBe(((NumericStatistics)result.Statistics["close"]).Median);
        back.Statistics["date"].ShouldBeOfType<DatetimeStatistics>().Frequency.ShouldBe("daily");
        back.Statistics["signal"].ShouldBeOfType<CategoricalStatistics>().TopValues.ShouldBe(((CategoricalStatistics)result.Statistics["signal"]).TopValues);
        JsonSerializer.Serialize(back, ApiJson).ShouldBe(json);
    }
}
