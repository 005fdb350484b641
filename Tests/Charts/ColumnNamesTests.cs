using ChartCraft.Features.Charts;

namespace ChartCraft.Tests.Charts;

public class ColumnNamesTests
{
    [Theory]
    [InlineData("Cost Total $", new[] { "cost", "total" })]
    [InlineData("avgPrice_usd", new[] { "avg", "price", "usd" })]
    [InlineData("CustomerID", new[] { "customer", "id" })]
    [InlineData("win-rate (%)", new[] { "win", "rate" })]
    public void words_split_on_separators_and_camel_case(string name, string[] words) =>
        ColumnNames.Words(name).ShouldBe(words);

    [Theory]
    [InlineData("id", true)]
    [InlineData("item_id", true)]
    [InlineData("CustomerID", true)]
    [InlineData("row number", true)]
    [InlineData("index", true)]
    [InlineData("paid", false)]
    [InlineData("valid", false)]
    [InlineData("width", false)]
    public void identifier_names_are_recognised(string name, bool looksLikeId) =>
        ColumnNames.LooksLikeId(name).ShouldBe(looksLikeId);
}
