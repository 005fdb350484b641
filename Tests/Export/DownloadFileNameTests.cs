using ChartCraft.Infrastructure.Storage;
using ChartCraft.Tests.Support;

namespace ChartCraft.Tests.Export;

/// <summary>Download file names come from chart titles: nothing invisible may reach Content-Disposition.</summary>
[Collection(ApiCollection.Name)]
public sealed class DownloadFileNameTests(AppFixture app)
{
    // U+202E right-to-left override, U+200B zero-width space, U+2066..U+2069 bidi isolates, U+200F RLM, U+FEFF BOM,
    // U+E0041 a tag character (outside the BMP), U+2028 line separator.
    const string Disguised = "Sales\u202Egnp.exe\u200B Q1 \u2066A\u2067B\u2068C\u2069 \u200F\uFEFF\U000E0041\u2028end";

    [Theory]
    [InlineData(Disguised + ".png", "Salesgnp.exe Q1 ABC end.png")]
    [InlineData("\u202E\u200B\u2066\u2069", "download")]
    [InlineData("Umsatz 📈 Ü.png", "Umsatz 📈 Ü.png")]
    public void format_and_control_characters_are_removed_from_file_names(string name, string expected) =>
        BlobKeys.SafeFileName(name).ShouldBe(expected);

    [Fact]
    public void a_long_name_is_never_cut_inside_an_emoji() =>
        BlobKeys.SafeFileName(new string('a', 149) + "📈📈").ShouldBe(new string('a', 149));

    [Fact]
    public async Task a_title_with_bidi_overrides_and_zero_width_characters_downloads_under_a_visible_name()
    {
        var (user, _, chartId) = await app.ChartAsync(Disguised);
        var (status, export, _) = await app.ExportImageAsync(user, new { chart_id = chartId, format = "png", width = 300, height = 200 });
        status.ShouldBe(200, export.ToJsonString());

        var download = await app.DownloadAsync(export["download_url"]!.GetValue<string>());
        ((int)download.StatusCode).ShouldBe(200);
        var disposition = download.Content.Headers.ContentDisposition!;
        var names = new[] { disposition.FileNameStar, disposition.FileName?.Trim('"') }.OfType<string>().ToList();
        names.ShouldNotBeEmpty();
        (disposition.FileNameStar ?? disposition.FileName!.Trim('"')).ShouldBe("Salesgnp.exe Q1 ABC end.png");
        foreach (var name in names)
            name.EnumerateRunes().ShouldAllBe(r => System.Text.Rune.GetUnicodeCategory(r) != System.Globalization.UnicodeCategory.Format
                                                   && System.Text.Rune.GetUnicodeCategory(r) != System.Globalization.UnicodeCategory.Control);
        // The raw header too: no percent-encoded RLO (%E2%80%AE) or zero-width space (%E2%80%8B) in filename*.
        var raw = string.Join(";", download.Content.Headers.GetValues("Content-Disposition"));
        raw.ShouldNotContain("%E2%80%AE", Case.Insensitive);
        raw.ShouldNotContain("%E2%80%8B", Case.Insensitive);
        raw.ShouldNotContain("%E2%81%A6", Case.Insensitive);
    }
}
