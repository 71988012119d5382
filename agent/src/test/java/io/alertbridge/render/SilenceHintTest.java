package io.alertbridge.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SilenceHintTest {
  private static Map<String, Object> alert(String sensor) {
    return Map.of(
        "type", "overtemp",
        "source", "engine-room/plc-3",
        "labels", Map.of("site", "ship-1", "sensor", sensor));
  }

  @Test
  void aGroupIsSilencedByWhatAllItsAlertsShare() {
    assertThat(SilenceHint.common(List.of(alert("T3"), alert("T4"))))
        .containsExactly(
            "type=\"overtemp\"", "source=\"engine-room/plc-3\"", "labels.site=\"ship-1\"");
  }

  @Test
  void oneAlertIsSilencedByItsWholeIdentity() {
    assertThat(SilenceHint.common(List.of(alert("T3"))))
        .containsExactly(
            "type=\"overtemp\"",
            "source=\"engine-room/plc-3\"",
            "labels.sensor=\"T3\"",
            "labels.site=\"ship-1\"");
  }

  @Test
  void theCommandQuotesEveryArgumentForTheShell() {
    String cmd =
        SilenceHint.command("/etc/ab/it's.yaml", List.of("labels.room=\"engine's\"", "type=\"x\""));
    assertThat(cmd)
        .isEqualTo(
            "alertbridge silence add --config '/etc/ab/it'\\''s.yaml' --duration 2h"
                + " --author \"$USER\" --comment 'REASON' 'labels.room=\"engine'\\''s\"'"
                + " 'type=\"x\"'");
  }

  @Test
  void nothingSharedMeansNoCommandRatherThanASilenceOfEverything() {
    assertThat(SilenceHint.command(null, List.of())).isNull();
  }

  @Test
  void theCommandEndsBothBodiesAndIsEscapedInHtml() {
    RenderedContent c =
        new RenderedContent(
            "[FIRING:1] overtemp",
            Optional.of("body"),
            Optional.of("<html><body><p>body</p></body></html>"));
    RenderedContent out = SilenceHint.append(c, "alertbridge silence add 'a=\"<b>\"'");
    assertThat(out.text().orElseThrow()).endsWith("  alertbridge silence add 'a=\"<b>\"'\n");
    assertThat(out.html().orElseThrow())
        .contains("alertbridge silence add &#39;a=&quot;&lt;b&gt;&quot;&#39;</pre></body></html>");
    assertThat(out.subject()).isEqualTo("[FIRING:1] overtemp");
  }
}
