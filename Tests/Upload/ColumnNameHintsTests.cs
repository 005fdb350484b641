using ChartCraft.Features.Upload;

namespace ChartCraft.Tests.Upload;

public class ColumnNameHintsTests
{
    [Theory]
    [InlineData("Cost Total $", new[] { "cost", "total" })]
    [InlineData("avgPrice_usd", new[] { "avg", "price", "usd" })]
    [InlineData("CustomerID", new[] { "customer", "id" })]
    [InlineData("win-rate (%)", new[] { "win", "rate" })]
    [InlineData("Année fiscale", new[] { "annee", "fiscale" })]
    public void words_split_on_separators_and_camel_case_without_accents(string name, string[] words) =>
        ColumnNameHints.Words(name).ShouldBe(words);

    [Theory]
    [InlineData("id", true)]
    [InlineData("item_id", true)]
    [InlineData("CustomerID", true)]
    [InlineData("row number", true)]
    [InlineData("index", true)]
    [InlineData("zip code", true)]
    [InlineData("paid", false)]
    [InlineData("valid", false)]
    [InlineData("width", false)]
    [InlineData("number of rows", false)]
    public void identifier_names_are_recognised(string name, bool identifier) =>
        ColumnNameHints.SaysIdentifier(name).ShouldBe(identifier);

    [Theory]
    [InlineData("year", true)]
    [InlineData("fiscal_yr", true)]
    [InlineData("Jahr", true)]
    [InlineData("count", false)]
    public void year_names_are_recognised(string name, bool year) =>
        ColumnNameHints.SaysYear(name).ShouldBe(year);
}
