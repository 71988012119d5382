package io.alertbridge.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.config.ConfigLoader;
import io.alertbridge.event.AlertEvent;
import io.alertbridge.event.Severity;
import io.alertbridge.event.Status;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import io.alertbridge.smtp.OutgoingMail;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageComposerTest {
  @TempDir Path dir;
  private MessageComposer composer;
  private Router router;

  @BeforeEach
  void setUp() throws Exception {
    AlertbridgeConfig c =
        new ConfigLoader(Map.of()).load(ConfigFixtures.write(dir, ConfigFixtures.VALID));
    router = Router.of(c);
    composer =
        new MessageComposer(
            Templates.compile(c.templates()),
            c.smtp().from(),
            c.smtp().envelopeSender(),
            c.delivery().maxMessageSize().bytes(),
            Clock.fixed(Instant.parse("2026-11-28T13:05:30Z"), ZoneOffset.UTC));
  }

  private static AlertEvent event(String id, Severity s, String summary, String description) {
    return new AlertEvent(
        id,
        Instant.parse("2026-11-28T13:05:00Z"),
        "engine-room/plc-3",
        "overtemp",
        s,
        Status.FIRING,
        summary,
        description,
        Map.of("room", "engine"),
        Map.of("temperature_c", new BigDecimal("98.4")));
  }

  private OutgoingMail compose(AlertEvent e) throws Exception {
    Route route = router.route(e).get(0);
    return composer.compose(e, route);
  }

  private static String raw(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void textAndHtmlTemplateGivesMultipartAlternativeTextFirst() throws Exception {
    MimeMessage m = compose(event("e1", Severity.CRITICAL, "Overtemp", "hot")).message();
    assertThat(m.getContentType()).startsWith("multipart/alternative");
    Multipart parts = (Multipart) m.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain; charset=UTF-8");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html; charset=UTF-8");
    assertThat((String) parts.getBodyPart(0).getContent()).contains("T=98.4");
  }

  @Test
  void textOnlyTemplateGivesASinglePart() throws Exception {
    MimeMessage m = compose(event("e1", Severity.INFO, "fine", "")).message();
    assertThat(m.getContentType()).startsWith("text/plain; charset=UTF-8");
    assertThat((String) m.getContent()).startsWith("fine\n");
  }

  @Test
  void htmlValuesAreEscapedButTextValuesAreNot() throws Exception {
    MimeMessage m =
        compose(event("e1", Severity.CRITICAL, "<script>alert(1)</script>", "a & b")).message();
    Multipart parts = (Multipart) m.getContent();
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p>a &amp; b</p>")
        .doesNotContain("<script>");
    assertThat((String) parts.getBodyPart(0).getContent()).contains("<script>alert(1)</script>");
  }

  @Test
  void crlfInASubjectValueCannotAddAHeader() throws Exception {
    OutgoingMail mail =
        compose(event("e1", Severity.INFO, "disk full\r\nBcc: x@evil.example\r\n", ""));
    MimeMessage m = mail.message();
    assertThat(m.getHeader("Bcc")).isNull();
    assertThat(m.getSubject()).isEqualTo("info: disk full Bcc: x@evil.example");
    assertThat(mail.recipients()).extracting(Object::toString).containsExactly("ops@plant.example");
    String headers = raw(m).split("\r\n\r\n", 2)[0];
    assertThat(headers).doesNotContain("\r\nBcc:").contains("\r\nSubject: info: disk full Bcc:");
  }

  @Test
  void headersCarryRfc3834AndTheEventId() throws Exception {
    OutgoingMail mail = compose(event("0f8c7a9e", Severity.INFO, "s", ""));
    MimeMessage m = mail.message();
    assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
    assertThat(m.getHeader("X-Alertbridge-Event-Id", null)).isEqualTo("0f8c7a9e");
    assertThat(m.getHeader("From", null)).isEqualTo("Engine Room Monitor <alerts@plant.example>");
    assertThat(m.getSentDate())
        .isEqualTo(java.util.Date.from(Instant.parse("2026-11-28T13:05:30Z")));
    assertThat(mail.envelopeFrom()).isEqualTo("alerts@plant.example");
  }

  @Test
  void messageIdIsTheSameForTheSameEventAndRouteOnly() throws Exception {
    String first = compose(event("e1", Severity.INFO, "s", "")).messageId();
    String again = compose(event("e1", Severity.INFO, "other text", "")).messageId();
    String otherEvent = compose(event("e2", Severity.INFO, "s", "")).messageId();
    String otherRoute = compose(event("e1", Severity.CRITICAL, "s", "")).messageId();
    assertThat(first).isEqualTo(again).matches("<[0-9a-f]{32}\\.alertbridge@plant\\.example>");
    assertThat(first).isNotEqualTo(otherEvent).isNotEqualTo(otherRoute);
    assertThat(compose(event("e1", Severity.INFO, "s", "")).message().getMessageID())
        .isEqualTo(first);
  }

  @Test
  void nonAsciiSubjectsAreEncodedPerRfc2047() throws Exception {
    MimeMessage m = compose(event("e1", Severity.INFO, "98.4 °C", "")).message();
    assertThat(m.getHeader("Subject", null)).startsWith("=?UTF-8?");
    assertThat(m.getSubject()).isEqualTo("info: 98.4 °C");
  }

  @Test
  void aTemplateErrorAtRenderTimeIsARenderException() throws Exception {
    Files.writeString(dir.resolve("t/plain.txt"), "{{ event.summary | numberformat(\"#.#\") }}");
    AlertbridgeConfig c = new ConfigLoader(Map.of()).load(dir.resolve("alertbridge.yaml"));
    MessageComposer broken =
        new MessageComposer(
            Templates.compile(c.templates()),
            c.smtp().from(),
            c.smtp().envelopeSender(),
            c.delivery().maxMessageSize().bytes(),
            Clock.systemUTC());
    AlertEvent e = event("e1", Severity.INFO, "not a number", "");
    assertThatThrownBy(() -> broken.compose(e, router.route(e).get(0)))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("template plain.text failed");
  }

  @Test
  void aTemplateSyntaxErrorIsAConfigErrorNamingTheTemplate() throws Exception {
    Files.writeString(dir.resolve("t/plain.txt"), "{% if %}");
    AlertbridgeConfig c = new ConfigLoader(Map.of()).load(dir.resolve("alertbridge.yaml"));
    assertThatThrownBy(() -> Templates.compile(c.templates()))
        .hasMessageStartingWith("templates.plain.text: must be a valid Pebble template");
  }
}
