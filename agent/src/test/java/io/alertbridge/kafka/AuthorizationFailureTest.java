package io.alertbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class AuthorizationFailureTest {
  @Test
  void findsARefusalWrappedByKafkaStreams() {
    var refused =
        new TransactionalIdAuthorizationException("Transactional Id authorization failed");
    assertThat(
            AuthorizationFailure.in(
                new StreamsException(new KafkaException("init failed", refused))))
        .containsSame(refused);
    assertThat(AuthorizationFailure.in(new GroupAuthorizationException("g"))).isPresent();
    assertThat(
            AuthorizationFailure.in(
                new IllegalStateException(
                    "cannot create topics", new TopicAuthorizationException("t"))))
        .isPresent();
  }

  @Test
  void anUnreachableBrokerIsNoRefusal() {
    assertThat(AuthorizationFailure.in(new IllegalStateException(new TimeoutException("t"))))
        .isEmpty();
    assertThat(AuthorizationFailure.in(null)).isEmpty();
  }
}
