package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HtmlTextTest {

  @Test
  void keepsTheTextAboveTheQuoteWithBlocksAsLines() {
    String html =
        "<html><head><title>ack</title><style>p{}</style></head><body>"
            + "<!-- ack --><header>Ack</header><p>first&nbsp;line</p><div>second &amp; &#x263A;</div>"
            + "<div class=\"gmail_quote\">On Tue wrote:<blockquote>ack</blockquote></div>";
    assertThat(HtmlText.reply(html)).isEqualTo("  Ack\nfirst line\n\nsecond & \u263a\n");
  }

  @Test
  void cutsAtOutlooksReplyHeaderAndAtBlockquotes() {
    assertThat(HtmlText.reply("<p>unack</p><div id=\"divRplyFwdMsg\"><b>From:</b></div>"))
        .isEqualTo("\nunack\n");
    assertThat(HtmlText.reply("ack<blockquote type=cite>x</blockquote>")).isEqualTo("ack");
  }

  @Test
  void readsAllTheTextOfABounce() {
    assertThat(HtmlText.all("<p>Message-ID: &lt;a@b&gt;</p><hr><p>X-Alertbridge-Event-Id: e</p>"))
        .isEqualTo("\nMessage-ID: <a@b>\n\nX-Alertbridge-Event-Id: e\n");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<div ",
        "<a ",
        "<div class=x",
        "<blockquot",
        "<head>",
        "<!--",
        "&#1",
        "<p id=\"x",
        "<",
        "<style"
      })
  void readsSixtyFourKibibytesOfUnclosedTagsInLinearTime(String unit) {
    String html = unit.repeat(65536 / unit.length());
    assertTimeoutPreemptively(
        Duration.ofSeconds(2),
        () -> {
          HtmlText.reply(html);
          HtmlText.all(html);
        });
  }
}
