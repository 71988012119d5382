package io.alertbridge.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelayProbeTest {
  private final List<RelayProbe> probes =
      RelayProbe.all("example.net", "plant.example", "[192.0.2.1]");

  @Test
  void everySenderFormIsTriedWithAPlainOutsideRecipient() {
    assertThat(probes)
        .filteredOn(p -> p.rcptTo().equals("<relaytest@example.net>"))
        .extracting(RelayProbe::mailFrom)
        .containsExactly(
            "<>",
            "<relaytest>",
            "<relaytest@localhost>",
            "<relaytest@plant.example>",
            "<relaytest@[192.0.2.1]>",
            "<relaytest@example.net>");
  }

  @Test
  void everyRecipientFormIsTriedWithTheIpLiteralSenderAndWithThePlainSender() {
    List<String> forms =
        List.of(
            "<relaytest@example.net>",
            "<relaytest%example.net@plant.example>",
            "<relaytest%example.net@[192.0.2.1]>",
            "<\"relaytest@example.net\">",
            "<\"relaytest%example.net\">",
            "<relaytest@example.net@plant.example>",
            "<relaytest@example.net@[192.0.2.1]>",
            "<\"relaytest@example.net\"@plant.example>",
            "<\"relaytest@example.net\"@[192.0.2.1]>",
            "<@plant.example:relaytest@example.net>",
            "<@[192.0.2.1]:relaytest@example.net>",
            "<example.net!relaytest>",
            "<example.net!relaytest@plant.example>",
            "<example.net!relaytest@[192.0.2.1]>",
            "<relaytest@>");
    assertThat(probes)
        .filteredOn(p -> p.mailFrom().equals("<relaytest@[192.0.2.1]>"))
        .extracting(RelayProbe::rcptTo)
        .containsExactlyElementsOf(forms);
    assertThat(probes)
        .filteredOn(p -> p.mailFrom().equals("<>"))
        .extracting(RelayProbe::rcptTo)
        .containsExactlyElementsOf(forms);
  }

  @Test
  void theUnionHasNoDuplicates() {
    assertThat(probes).hasSize(34).doesNotHaveDuplicates();
  }
}
