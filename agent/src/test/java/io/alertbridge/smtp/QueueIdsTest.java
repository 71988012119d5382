package io.alertbridge.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueueIdsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Postfix|250 2.0.0 Ok: queued as D863060BD9|D863060BD9",
        "Postfix long queue id|250 2.0.0 Ok: queued as 4bV9Qk1nQwz9sWK|4bV9Qk1nQwz9sWK",
        "Sendmail|250 2.0.0 xASDFx123456 Message accepted for delivery|xASDFx123456",
        "Exim|250 OK id=1r6Bwm-000000002h3-2n4V|1r6Bwm-000000002h3-2n4V",
        "OpenSMTPD|250 2.0.0 1a2b3c4d Message accepted for delivery|1a2b3c4d",
        "Exchange|250 2.6.0 <a1b2@mail.plant.example> [InternalId=1099511627777, Hostname=EX01.plant.example] Queued mail for delivery|1099511627777",
        "Gmail|250 2.0.0 OK  1731389794 ffacd0b85a97d-381ed975a54si7856017f8f.119 - gsmtp|ffacd0b85a97d-381ed975a54si7856017f8f.119",
        "Amazon SES|250 Ok 010001727bf05c7f-0a5e5f6b-7e2c-4a5b-9c1d-2f3e4a5b6c7d-000000|010001727bf05c7f-0a5e5f6b-7e2c-4a5b-9c1d-2f3e4a5b6c7d-000000",
      })
  void parsesTheQueueIdEachMtaSends(String mta, String reply, String queueId) {
    assertThat(QueueIds.parse(SmtpReply.parse(reply))).contains(queueId);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"250 2.0.0 Ok", "250 OK", "250 Message received"})
  void replyWithoutAnIdGivesNone(String reply) {
    assertThat(QueueIds.parse(SmtpReply.parse(reply))).isEqualTo(Optional.empty());
  }
}
