using ChartCraft.Features.Upload;

namespace ChartCraft.Tests.Upload;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("sales.csv", "sales.csv")]
    [InlineData(@"C:\Users\ana\Desktop\sales 2024.xlsx", "sales 2024.xlsx")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("  report.csv  ", "report.csv")]
    [InlineData("bad\r\nname\t.csv", "badname.csv")]
    [InlineData("invoice\u202Egpj.csv", "invoicegpj.csv")]
    [InlineData("Übersicht.csv", "Übersicht.csv")]
    [InlineData("", "upload")]
    [InlineData("/", "upload")]
    [InlineData("..", "upload")]
    public void names_lose_paths_control_and_direction_characters(string given, string expected)
    {
        FileNames.Sanitize(given).ShouldBe(expected);
    }

    [Fact]
    public void long_names_are_cut_keeping_the_extension()
    {
        var name = FileNames.Sanitize(new string('a', 400) + ".csv");

        name.Length.ShouldBe(FileNames.MaxLength);
        name.ShouldEndWith("aaa.csv");
    }

    [Fact]
    public void decomposed_accents_are_normalized()
    {
        FileNames.Sanitize("Cafe\u0301.csv").ShouldBe("Café.csv");
    }
}
