package io.alertbridge.policy;

import io.alertbridge.config.PolicySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics the policy stage creates, and how they are replicated. Its pending notifications and
 * its state live only there, so they are replicated like the alerts they came from: a topic with
 * the broker's default replication factor (often 1) loses them with one broker.
 */
public final class PolicyTopics {
  private static final Logger log = LoggerFactory.getLogger(PolicyTopics.class);

  /**
   * The largest record the policy's topics take and its producer sends, set explicitly rather than
   * left to broker defaults (which an operator may have lowered): every record the stage writes is
   * bounded far below it, by {@link TypedStore#MAX_VALUE_BYTES} (issue 16).
   */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  /** A week: the policy stage reads them within moments; more is for an outage. */
  static final Duration RETENTION = Duration.ofDays(7);

  /**
   * How the policy's topics are made.
   *
   * @param partitions as many as the widest alert topic, so no alert topic's order is narrowed
   * @param replicationFactor from {@code policy.replication-factor}, else the alert topics'
   * @param minInsyncReplicas from {@code policy.min-insync-replicas}, else the alert topics'
   * @param source where the two numbers came from, for check-config and the log
   */
  public record Layout(
      int partitions, short replicationFactor, int minInsyncReplicas, String source) {
    /** Streams creates its changelog and repartition topics with these. */
    public Map<String, Object> streamsProperties() {
      return Map.of(
          StreamsConfig.REPLICATION_FACTOR_CONFIG,
          (int) replicationFactor,
          StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
          Integer.toString(minInsyncReplicas),
          StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
          Integer.toString(MAX_MESSAGE_BYTES),
          StreamsConfig.producerPrefix(
              org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
          MAX_MESSAGE_BYTES);
    }

    @Override
    public String toString() {
      return partitions
          + " partition(s), replication factor "
          + replicationFactor
          + ", min.insync.replicas "
          + minInsyncReplicas
          + " ("
          + source
          + ")";
    }
  }

  /**
   * The layout decided, and the policy's topics that already exist made otherwise (alertbridge
   * leaves them as they are: changing a replication factor is a reassignment, the operator's call).
   */
  public record Checked(Layout layout, List<String> differing) {
    public Checked {
      differing = List.copyOf(differing);
    }
  }

  private PolicyTopics() {}

  /** Each existing topic of {@code topics} whose replication differs from {@code layout}'s. */
  public static List<String> differing(
      Admin admin, Layout layout, List<String> topics, Duration timeout)
      throws TimeoutException, InterruptedException {
    List<String> differ = new ArrayList<>();
    Map<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> described =
        admin.describeTopics(topics).topicNameValues();
    List<ConfigResource> existing = new ArrayList<>();
    Map<String, Integer> factors = new java.util.LinkedHashMap<>();
    for (String t : topics) {
      try {
        TopicDescription d = described.get(t).get(millis(timeout), TimeUnit.MILLISECONDS);
        factors.put(t, d.partitions().get(0).replicas().size());
        existing.add(new ConfigResource(ConfigResource.Type.TOPIC, t));
      } catch (ExecutionException e) {
        // Missing (created at start) or not describable (PolicyAccess says so): nothing to compare.
      }
    }
    Map<ConfigResource, Config> configs = Map.of();
    try {
      configs = admin.describeConfigs(existing).all().get(millis(timeout), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // Without DESCRIBE_CONFIGS only the replication factor is compared.
    }
    for (var f : factors.entrySet()) {
      Config c = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, f.getKey()));
      ConfigEntry minIsr = c == null ? null : c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
      boolean rfDiffers = f.getValue() != layout.replicationFactor();
      boolean isrDiffers =
          minIsr != null
              && minIsr.value() != null
              && Integer.parseInt(minIsr.value()) != layout.minInsyncReplicas();
      if (rfDiffers || isrDiffers) {
        differ.add(
            f.getKey()
                + " exists with replication factor "
                + f.getValue()
                + (minIsr == null ? "" : ", min.insync.replicas " + minIsr.value())
                + "; alertbridge leaves existing topics as they are");
      }
    }
    return differ;
  }

  /**
   * Decides the layout from the settings and the alert topics as the broker describes them.
   *
   * @throws ExecutionException as the Admin client reports a missing or forbidden alert topic
   */
  public static Layout layout(
      Admin admin, Collection<String> alertTopics, PolicySettings settings, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    Map<String, TopicDescription> alerts =
        admin
            .describeTopics(alertTopics)
            .allTopicNames()
            .get(millis(timeout), TimeUnit.MILLISECONDS);
    int partitions = alerts.values().stream().mapToInt(d -> d.partitions().size()).max().orElse(1);
    int alertsRf =
        alerts.values().stream()
            .flatMap(d -> d.partitions().stream())
            .mapToInt(p -> p.replicas().size())
            .max()
            .orElse(1);
    Integer alertsMinIsr =
        settings.minInsyncReplicas() != null ? null : minInsync(admin, alertTopics, timeout);
    return layout(partitions, alertsRf, alertsMinIsr, settings);
  }

  /** The alert topics' largest min.insync.replicas; null when the principal may not read it. */
  private static Integer minInsync(Admin admin, Collection<String> alertTopics, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    List<ConfigResource> resources = new ArrayList<>();
    alertTopics.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
    Map<ConfigResource, Config> configs;
    try {
      configs = admin.describeConfigs(resources).all().get(millis(timeout), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        return null; // DESCRIBE_CONFIGS is not needed otherwise: not worth an ACL of its own
      }
      throw e;
    }
    int largest = 1;
    for (Config c : configs.values()) {
      ConfigEntry e = c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
      if (e != null && e.value() != null) {
        largest = Math.max(largest, Integer.parseInt(e.value()));
      }
    }
    return largest;
  }

  /** The settings win; what they leave open comes from the alert topics. */
  static Layout layout(
      int partitions, int alertsRf, Integer alertsMinIsr, PolicySettings settings) {
    Integer rf = settings.replicationFactor();
    Integer minIsr = settings.minInsyncReplicas();
    int factor = rf != null ? rf : alertsRf;
    // Never above the factor: min.insync.replicas > RF refuses every acks=all write.
    int insync =
        minIsr != null ? minIsr : Math.min(alertsMinIsr == null ? 1 : alertsMinIsr, factor);
    if (minIsr == null && alertsMinIsr == null) {
      return new Layout(
          partitions,
          (short) factor,
          insync,
          (rf != null ? "policy.replication-factor" : "replication factor as the alert topics")
              + "; min.insync.replicas 1: the alert topics' cannot be read without"
              + " DESCRIBE_CONFIGS, set policy.min-insync-replicas");
    }
    String source =
        rf != null && minIsr != null
            ? "policy.replication-factor and policy.min-insync-replicas"
            : rf == null && minIsr == null
                ? "as the alert topics"
                : (rf != null ? "policy.replication-factor" : "policy.min-insync-replicas")
                    + ", the rest as the alert topics";
    return new Layout(partitions, (short) factor, insync, source);
  }

  /**
   * Creates the policy's topics if missing: {@code topics} kept for {@link #RETENTION}, {@code
   * compacted} ones (one record per key, the latest) kept by compaction.
   */
  static void create(
      Admin admin, Layout layout, List<String> topics, List<String> compacted, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    List<NewTopic> wanted = new ArrayList<>();
    String minIsr = Integer.toString(layout.minInsyncReplicas());
    for (String t : topics) {
      wanted.add(
          newTopic(t, layout)
              .configs(
                  Map.of(
                      TopicConfig.RETENTION_MS_CONFIG,
                      Long.toString(RETENTION.toMillis()),
                      TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                      minIsr,
                      TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                      Integer.toString(MAX_MESSAGE_BYTES))));
    }
    for (String t : compacted) {
      wanted.add(
          newTopic(t, layout)
              .configs(
                  Map.of(
                      TopicConfig.CLEANUP_POLICY_CONFIG,
                      TopicConfig.CLEANUP_POLICY_COMPACT,
                      TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                      minIsr,
                      TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                      Integer.toString(MAX_MESSAGE_BYTES))));
    }
    for (var e : admin.createTopics(wanted).values().entrySet()) {
      try {
        e.getValue().get(millis(timeout), TimeUnit.MILLISECONDS);
        log.info("created topic {}: {}", e.getKey(), layout);
      } catch (ExecutionException x) {
        if (!(x.getCause() instanceof TopicExistsException)) {
          throw x;
        }
      }
    }
  }

  private static NewTopic newTopic(String name, Layout layout) {
    return new NewTopic(
        name, Optional.of(layout.partitions()), Optional.of(layout.replicationFactor()));
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }

  /**
   * Gives {@code follower} at least as many partitions as {@code leader} (issue 18): a response is
   * written to the partition of the events topic its group is on, and the task of that partition
   * reads the same partition of the responses topic. An events topic made before the responses
   * topic may be wider; a narrower one is harmless.
   *
   * @return the partitions added, 0 when none were needed
   */
  static int matchPartitions(Admin admin, String leader, String follower, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    var described =
        admin
            .describeTopics(List.of(leader, follower))
            .allTopicNames()
            .get(millis(timeout), TimeUnit.MILLISECONDS);
    int want = described.get(leader).partitions().size();
    int have = described.get(follower).partitions().size();
    if (have >= want) {
      return 0;
    }
    admin
        .createPartitions(
            Map.of(follower, org.apache.kafka.clients.admin.NewPartitions.increaseTo(want)))
        .all()
        .get(millis(timeout), TimeUnit.MILLISECONDS);
    log.info("topic {}: {} partitions added to match {}", follower, want - have, leader);
    return want - have;
  }
}
