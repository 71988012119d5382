package io.alertbridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.KafkaSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The properties of the delivery consumer, the dead-letter producer and the admin client. */
class KafkaClientsTest {
  static KafkaSettings settings(String groupInstanceId) {
    return new KafkaSettings(
        "localhost:9092",
        "alertbridge",
        List.of("alerts"),
        "alerts.dlq",
        null,
        null,
        null,
        Map.of(),
        groupInstanceId);
  }

  @Test
  void deliveryConsumerIsAStaticMemberUnderTheConfiguredId() {
    Map<String, Object> p = KafkaClients.consumer(settings("box-1"));

    assertThat(p)
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "box-1")
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "alertbridge");
  }

  @Test
  void deliveryConsumerIsADynamicMemberWithoutAConfiguredId() {
    assertThat(KafkaClients.consumer(settings(null)))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void producerAndAdminClientGetNoGroupInstanceId() {
    // Neither joins a group: Kafka would only warn about an unknown setting.
    assertThat(KafkaClients.producer(settings("box-1")))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    assertThat(KafkaClients.common(settings("box-1")))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }
}
