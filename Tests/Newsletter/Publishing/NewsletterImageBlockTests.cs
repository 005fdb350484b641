using ChartCraft.Features.Newsletter.Publishing;

namespace ChartCraft.Tests.Newsletter.Publishing;

public sealed class NewsletterImageBlockTests
{
    static readonly Guid PublishId = Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");

    [Fact]
    public void the_block_is_a_linked_image_with_alt_text_and_the_email_width()
    {
        var block = NewsletterImageBlock.Render(PublishId, "https://img.example.com/c.png", "Revenue by month", "https://app.example.com/embed/1");
        block.ShouldContain("<a href=\"https://app.example.com/embed/1\" target=\"_blank\"><img src=\"https://img.example.com/c.png\" alt=\"Revenue by month\" width=\"600\"");
        block.ShouldEndWith("></a></div>");
        block.ShouldContain(NewsletterImageBlock.Marker(PublishId));
    }

    [Fact]
    public void every_attribute_is_html_encoded_so_a_title_cannot_become_markup()
    {
        var block = NewsletterImageBlock.Render(PublishId, "https://img.example.com/a.png?x=1&y=\"2\"", "Sales \"Q1\" <script>alert(1)</script> & 'more'",
            "https://example.com/?a=1&b=<i>");
        block.ShouldNotContain("<script>");
        block.ShouldNotContain("<i>");
        block.ShouldContain("alt=\"Sales &quot;Q1&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;more&#39;\"");
        block.ShouldContain("src=\"https://img.example.com/a.png?x=1&amp;y=&quot;2&quot;\"");
        block.ShouldContain("href=\"https://example.com/?a=1&amp;b=&lt;i&gt;\"");
    }

    [Fact]
    public void the_block_goes_before_the_last_closing_body_tag_whatever_its_case_and_the_rest_is_kept()
    {
        const string html = "<html><body><p>Hello readers</p><!-- </body> in a comment --></BODY>\n</html>";
        var result = NewsletterImageBlock.InsertInto(html, "[chart]");
        result.ShouldBe("<html><body><p>Hello readers</p><!-- </body> in a comment -->[chart]</BODY>\n</html>");
    }

    [Fact]
    public void content_without_a_body_tag_gets_the_block_at_the_end_and_empty_content_is_just_the_block()
    {
        NewsletterImageBlock.InsertInto("<p>Plain fragment</p>", "[chart]").ShouldBe("<p>Plain fragment</p>[chart]");
        NewsletterImageBlock.InsertInto(null, "[chart]").ShouldBe("[chart]");
        NewsletterImageBlock.InsertInto("", "[chart]").ShouldBe("[chart]");
    }

    [Fact]
    public void without_a_link_the_image_stands_alone()
    {
        var block = NewsletterImageBlock.Render(PublishId, "https://img.example.com/c.png", "Revenue", linkUrl: null);
        block.ShouldNotContain("<a ");
        block.ShouldContain("><img src=\"https://img.example.com/c.png\" alt=\"Revenue\" width=\"600\"");
        block.ShouldEndWith("></div>");
    }

    [Fact]
    public void content_that_already_holds_a_jobs_block_is_recognised_so_a_retry_does_not_add_it_twice()
    {
        var block = NewsletterImageBlock.Render(PublishId, "https://i/c.png", "t", "https://l");
        NewsletterImageBlock.Contains(NewsletterImageBlock.InsertInto("<body></body>", block), PublishId).ShouldBeTrue();
        NewsletterImageBlock.Contains("<body></body>", PublishId).ShouldBeFalse();
        NewsletterImageBlock.Contains(block, Guid.NewGuid()).ShouldBeFalse();
    }

    [Fact]
    public void a_new_draft_is_a_whole_document_with_an_encoded_title()
    {
        var html = NewsletterImageBlock.Document("A < B", "[chart]");
        html.ShouldStartWith("<!DOCTYPE html><html>");
        html.ShouldContain("<title>A &lt; B</title>");
        html.ShouldEndWith("<body>[chart]</body></html>");
    }
}
