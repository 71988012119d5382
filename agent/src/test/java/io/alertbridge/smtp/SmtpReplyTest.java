package io.alertbridge.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {
  @Test
  void splitsCodeEnhancedStatusAndText() {
    SmtpReply r = SmtpReply.parse("250 2.0.0 Ok: queued as D863060BD9\r\n");
    assertThat(r.code()).isEqualTo(250);
    assertThat(r.enhancedStatus()).contains("2.0.0");
    assertThat(r.text()).isEqualTo("Ok: queued as D863060BD9");
    assertThat(r.isPositiveCompletion()).isTrue();
    assertThat(r).hasToString("250 2.0.0 Ok: queued as D863060BD9");
  }

  @Test
  void keepsEveryLineOfAMultiLineReply() {
    SmtpReply r = SmtpReply.parse("451-4.7.1 Greylisted\n451 4.7.1 try again in 60s");
    assertThat(r.code()).isEqualTo(451);
    assertThat(r.enhancedStatus()).contains("4.7.1");
    assertThat(r.text()).isEqualTo("Greylisted\ntry again in 60s");
    assertThat(r.isTransientFailure()).isTrue();
  }

  @Test
  void replyWithoutEnhancedStatus() {
    SmtpReply r = SmtpReply.parse("550 No such user here");
    assertThat(r.enhancedStatus()).isEqualTo(Optional.empty());
    assertThat(r.isPermanentFailure()).isTrue();
    assertThat(r.text()).isEqualTo("No such user here");
  }
}
