using System.Text.Json;
using ChartCraft.Features.Upload;
using ChartCraft.Features.Upload.Inference;

namespace ChartCraft.Tests.Upload;

public sealed class ColumnInfoTests
{
    [Fact]
    public void numeric_samples_are_up_to_five_distinct_numbers_with_counts()
    {
        var column = TypeInference.InferColumn("units", ["3", "3", "", "7", "1,200", "9", "11", "13", "oops", "3", "5", "6", "8", "10", "12", "14", "15", "16", "17", "18", "19"]);

        var info = ColumnInfo.From(column);

        info.Type.ShouldBe(ColumnTypes.Numeric);
        info.SampleValues.ShouldBe([3.0, 7.0, 1200.0, 9.0, 11.0]);
        info.SampleValues.ShouldAllBe(v => v is double);
        info.NullCount.ShouldBe(2);
        info.InvalidCount.ShouldBe(1);
        info.UniqueCount.ShouldBe(17);
        info.Format.ShouldBe("#,##0.##");
    }

    [Fact]
    public void date_samples_are_iso_strings()
    {
        var info = ColumnInfo.From(TypeInference.InferColumn("at", ["2024-01-05T10:00:00+01:00", "2024-01-06", "2024-01-06"]));

        info.SampleValues.ShouldBe(["2024-01-05T09:00:00Z", "2024-01-06"]);
        info.UniqueCount.ShouldBe(2);
    }

    [Fact]
    public void boolean_and_text_samples_keep_their_json_types()
    {
        ColumnInfo.From(TypeInference.InferColumn("ok", ["yes", "no", "yes"])).SampleValues.ShouldBe([true, false]);
        ColumnInfo.From(TypeInference.InferColumn("city", ["Oslo", "Rome", "Oslo"])).SampleValues.ShouldBe(["Oslo", "Rome"]);
    }

    [Fact]
    public void it_serializes_with_the_contract_names()
    {
        var info = ColumnInfo.From(TypeInference.InferColumn("growth", ["12.5%", "3%"]));

        var json = JsonSerializer.Serialize(info, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });

        json.ShouldBe("""{"name":"growth","type":"numeric","sample_values":[12.5,3],"null_count":0,"unique_count":2,"format":null,"unit":"%","invalid_count":0}""");
    }
}
