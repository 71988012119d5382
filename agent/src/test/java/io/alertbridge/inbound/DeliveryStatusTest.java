package io.alertbridge.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.inbound.Inbound.Action;
import io.alertbridge.inbound.Inbound.RecipientStatus;
import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

  @Test
  void readsPerMessageFieldsThenOneGroupPerRecipient() {
    DeliveryStatus dsn =
        DeliveryStatus.parse(
            "Reporting-MTA: dns; mx.example\r\n"
                + "Original-Envelope-Id: n-1\r\n"
                + "\r\n"
                + "Final-Recipient: rfc822; a@example.org\r\n"
                + "Action: failed\r\n"
                + "Status: 5.1.1 (bad destination mailbox)\r\n"
                + "\r\n"
                + "Original-Recipient: rfc822;<B@example.org>\r\n"
                + "Final-Recipient: rfc822; b@relay.example.org\r\n"
                + "Action: Relayed (to a non-DSN mailer)\r\n"
                + "Status: 2.0.0\r\n");
    assertThat(dsn.field("reporting-mta")).isEqualTo("dns; mx.example");
    assertThat(dsn.field("original-envelope-id")).isEqualTo("n-1");
    assertThat(dsn.recipients())
        .containsExactly(
            new RecipientStatus("a@example.org", Action.FAILED, "5.1.1", null),
            new RecipientStatus("B@example.org", Action.RELAYED, "2.0.0", null));
  }

  @Test
  void unfoldsFieldsAndBoundsTheDiagnosticToOneLine() {
    String longText = "x".repeat(400);
    DeliveryStatus dsn =
        DeliveryStatus.parse(
            "Reporting-MTA: dns; mx.example\n\n"
                + "Final-Recipient: rfc822; a@example.org\n"
                + "Action: failed\n"
                + "Status: 5.0.0\n"
                + "Diagnostic-Code: smtp; 550 first line\n"
                + "\tsecond line\n"
                + "    "
                + longText
                + "\n");
    String diagnostic = dsn.recipients().get(0).diagnostic();
    assertThat(diagnostic).startsWith("550 first line second line xxx").doesNotContain("\n", "\r");
    assertThat(diagnostic).hasSize(DeliveryStatus.MAX_DIAGNOSTIC);
  }

  @Test
  void readsRecipientGroupsWithoutABlankLineAfterThePerMessageFields() {
    DeliveryStatus dsn =
        DeliveryStatus.parse(
            "Final-Recipient: rfc822; a@example.org\nAction: delayed\nStatus: 4.4.1\n");
    assertThat(dsn.recipients())
        .containsExactly(new RecipientStatus("a@example.org", Action.DELAYED, "4.4.1", null));
  }

  @Test
  void skipsAGroupWithoutRecipientOrWithAnUnknownAction() {
    DeliveryStatus dsn =
        DeliveryStatus.parse(
            "Reporting-MTA: dns; mx\n\n"
                + "Final-Recipient: rfc822; a@example.org\nAction: exploded\n\n"
                + "Final-Recipient: rfc822;\nAction: failed\n\n"
                + "Final-Recipient: rfc822; c@example.org\nAction: expanded\nStatus: junk\n");
    assertThat(dsn.recipients())
        .containsExactly(new RecipientStatus("c@example.org", Action.EXPANDED, null, null));
  }
}
