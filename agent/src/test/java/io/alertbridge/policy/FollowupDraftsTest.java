package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.MailTokens;
import io.alertbridge.ack.TokenKey;
import io.alertbridge.render.MessageComposer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FollowupDraftsTest {
  private static final TokenKey KEY =
      TokenKey.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), "test");
  private static final String CHIEF = "chief.engineer@plant.example";

  private final FollowupDrafts drafts =
      new FollowupDrafts(
          new ResponseAddresses(
              new MailTokens(KEY),
              "alerts+{token}@plant.example",
              null,
              new AckLinks(KEY),
              "https://alertbridge.plant.example/",
              null));

  private static Notification.GroupMail mail(String... states) {
    List<Notification.Alert> alerts =
        java.util.Arrays.stream(states)
            .map(s -> new Notification.Alert("fp-" + s, s, null, 1_000L, "engine", Map.of()))
            .toList();
    return new Notification.GroupMail(
        "engine",
        "overtemp",
        CHIEF,
        "engine:abc",
        Map.of(),
        "<m1@plant.example>",
        null,
        alerts,
        List.of(),
        List.of(),
        2_000L,
        alerts.size(),
        1_000L,
        0,
        null);
  }

  private MessageComposer.Draft draft(Notification.GroupMail g) {
    return drafts.group(
        new MessageComposer.Draft("overtemp", Map.of(), g.messageId(), null, List.of(), Map.of()),
        g);
  }

  @Test
  void aMailOfAFiringIncidentCarriesTheLinkAndTheReplyHint() {
    MessageComposer.Draft d = draft(mail("resolved", "firing"));

    assertThat(d.followup().ackLink()).startsWith("https://alertbridge.plant.example/ack/");
    assertThat(d.followup().replyHint()).isTrue();
    assertThat(d.envelope().replyTo()).startsWith("alerts+");
  }

  @Test
  void theMailThatResolvesTheIncidentOffersNoAcknowledgement() {
    MessageComposer.Draft d = draft(mail("resolved", "resolved"));

    assertThat(d.followup().ackLink()).isNull();
    assertThat(d.followup().replyHint()).isFalse();
    assertThat(d.envelope().replyTo()).as("a person's answer still finds the thread").isNotNull();
  }
}
