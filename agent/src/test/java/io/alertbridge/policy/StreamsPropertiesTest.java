package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The policy stage's Streams configuration, read back through Kafka Streams' own {@link
 * StreamsConfig}: what each of its clients is really given.
 */
class StreamsPropertiesTest {
  private static StreamsConfig streams(String groupInstanceId) {
    KafkaSettings kafka =
        new KafkaSettings(
            "localhost:9092",
            "alertbridge",
            List.of("alerts"),
            "alerts.dlq",
            null,
            null,
            null,
            Map.of(),
            groupInstanceId);
    return new StreamsConfig(
        StreamsProperties.of(
            kafka,
            "alertbridge-policy",
            Path.of("scratch"),
            Duration.ofMillis(100),
            Optional.empty()));
  }

  @Test
  void mainConsumerIsAStaticMemberUnderTheIdAndItsThreadNumber() {
    Map<String, Object> main =
        streams("box-1").getMainConsumerConfigs("alertbridge-policy", "c", 1);

    assertThat(main)
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "box-1-1")
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "alertbridge-policy");
  }

  @Test
  void onlyTheMainConsumerGetsTheId() {
    StreamsConfig config = streams("box-1");

    assertThat(config.getRestoreConsumerConfigs("c"))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    assertThat(config.getProducerConfigs("c"))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    assertThat(config.getAdminConfigs("c"))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void mainConsumerIsADynamicMemberWithoutAnId() {
    Map<String, Object> main = streams(null).getMainConsumerConfigs("alertbridge-policy", "c", 1);

    assertThat(main).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }

  @Test
  void mainConsumerLeavesItsGroupOnCloseEitherWay() {
    // A restarted dynamic member would otherwise wait out its predecessor's session (43 s).
    for (String id : new String[] {null, "box-1"}) {
      assertThat(streams(id).getMainConsumerConfigs("alertbridge-policy", "c", 1))
          .containsEntry("internal.leave.group.on.close", true);
    }
  }

  @Test
  void runsExactlyOnceOnOneThread() {
    StreamsConfig config = streams(null);

    assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(config.getInt(StreamsConfig.NUM_STREAM_THREADS_CONFIG)).isEqualTo(1);
  }
}
