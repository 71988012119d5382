package io.alertbridge.policy;

import io.alertbridge.config.KafkaSettings;
import io.alertbridge.kafka.KafkaClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The policy stage's Kafka Streams configuration, apart from the objects it hands its handlers. */
final class StreamsProperties {
  private StreamsProperties() {}

  /**
   * @param applicationId the stage's group and the prefix of its internal topics
   * @param layout how the stage's topics were made, once {@link PolicyStage#createTopics} knew
   */
  static Properties of(
      KafkaSettings kafka,
      String applicationId,
      Path stateDir,
      Duration commitInterval,
      Optional<PolicyTopics.Layout> layout) {
    Properties p = new Properties();
    p.putAll(KafkaClients.common(kafka));
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    // Streams keeps a dynamic member in its group after close (it expects the same instance back
    // soon), so a restarted daemon, a new member, waited for the old one's session to time out
    // before the policy stage ran again: 43 s (RestartBenchmark). Leaving on close ends that wait;
    // static members (group.instance.id) are removed by leaveGroup in PolicyStage.closeStreams.
    p.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
    // For the main consumer, the only one in a group: Streams makes each stream thread's id unique
    // by appending "-" and the thread's number (StreamsPropertiesTest reads it back).
    kafka
        .staticMember()
        .ifPresent(
            id ->
                p.put(
                    StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
    // The heap is the state's (issue 16: 100,000 alerts within the unit's -Xmx128m): the clients'
    // buffers are bounded well below their defaults (a 10 MiB cache, a 32 MiB producer buffer,
    // 50 MiB fetches), and still above the largest record (1 MiB, PolicyTopics).
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 2L * 1024 * 1024);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 8L * 1024 * 1024);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 8 * 1024 * 1024);
    // Changelogs and repartition topics hold the policy's state: replicated as its own topics.
    layout.ifPresent(l -> p.putAll(l.streamsProperties()));
    // Neither handler answers FAIL for a record's fault: each dead-letters it
    // (docs/architecture.md).
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    return p;
  }
}
