package io.alertbridge.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Each daemon instance's share of the policy's work, read from the broker alone, so it measures any
 * version of the policy stage unchanged: the policy stage is a Kafka Streams application whose
 * group id is {@code policy.state-topic}; every input record a task processes ends in that group's
 * committed offsets, and the group's description says which member owns which input partition.
 * Sampled often, each partition's committed-offset advance since the previous sample is counted for
 * the instance that owns it now. A member is told apart by its client id, which Streams derives
 * from the {@code client.id} the benchmark gives each instance in {@code kafka.properties}.
 *
 * <p>Offsets count records and, on the policy's own transactional topics, transaction markers (at
 * most one per partition and commit, every 100 ms): a few percent on a busy partition.
 */
final class PolicyShare implements AutoCloseable {
  private static final String UNOWNED = "(rebalancing)";

  private final Admin admin;
  private final String group;
  private final List<String> instances;
  private final Map<TopicPartition, Long> last = new HashMap<>();

  /** instance → input topic → offsets it advanced. */
  private final Map<String, Map<String, Long>> work = new TreeMap<>();

  private Map<String, TreeSet<String>> assignment = new TreeMap<>();

  PolicyShare(String bootstrap, String group, List<String> instances) {
    this.admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
    this.group = group;
    this.instances = List.copyOf(instances);
  }

  /** Whether every instance is a member with input partitions and the group is stable. */
  boolean settled() throws InterruptedException {
    try {
      ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      Map<String, TreeSet<String>> owned = owners(d);
      return d.groupState().toString().equalsIgnoreCase("stable")
          && instances.stream().allMatch(i -> owned.containsKey(i) && !owned.get(i).isEmpty());
    } catch (ExecutionException e) {
      return false;
    }
  }

  /** Samples on a thread of its own every {@code period} until that thread is interrupted. */
  Thread sampleEvery(java.time.Duration period) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  sample();
                  Thread.sleep(period.toMillis());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (ExecutionException e) {
                System.out.println("sampling stopped: " + e);
              }
            },
            "policy-share");
    t.start();
    return t;
  }

  /** Counts the committed offsets' advance since the previous sample for the partitions' owners. */
  void sample() throws InterruptedException, ExecutionException {
    ConsumerGroupDescription d =
        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    Map<TopicPartition, String> owner = new HashMap<>();
    for (MemberDescription m : d.members()) {
      for (TopicPartition tp : m.assignment().topicPartitions()) {
        owner.put(tp, instanceOf(m.clientId()));
      }
    }
    assignment = owners(d);
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    committed.forEach(
        (tp, om) -> {
          if (om == null) {
            return;
          }
          long advance = om.offset() - last.getOrDefault(tp, 0L);
          last.put(tp, om.offset());
          if (advance > 0) {
            work.computeIfAbsent(owner.getOrDefault(tp, UNOWNED), k -> new TreeMap<>())
                .merge(tp.topic(), advance, Long::sum);
          }
        });
  }

  /** The group's committed offsets summed: on {@code alertTopic}, and on every input topic. */
  record Committed(long alertTopic, long all) {}

  Committed committed(String alertTopic) throws InterruptedException, ExecutionException {
    long alerts = 0;
    long all = 0;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e :
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()) {
      if (e.getValue() != null) {
        all += e.getValue().offset();
        alerts += e.getKey().topic().equals(alertTopic) ? e.getValue().offset() : 0;
      }
    }
    return new Committed(alerts, all);
  }

  private Map<String, TreeSet<String>> owners(ConsumerGroupDescription d) {
    Map<String, TreeSet<String>> owned = new TreeMap<>();
    for (MemberDescription m : d.members()) {
      TreeSet<String> parts = owned.computeIfAbsent(instanceOf(m.clientId()), k -> new TreeSet<>());
      m.assignment().topicPartitions().forEach(tp -> parts.add(tp.toString()));
    }
    return owned;
  }

  private String instanceOf(String clientId) {
    return instances.stream()
        .filter(i -> clientId.startsWith(i + "-"))
        .findFirst()
        .orElse(clientId);
  }

  /** Markdown: each instance's input partitions at the last sample and its share of the work. */
  String table() {
    TreeSet<String> topics = new TreeSet<>();
    work.values().forEach(m -> topics.addAll(m.keySet()));
    long total = work.values().stream().flatMap(m -> m.values().stream()).mapToLong(x -> x).sum();
    StringBuilder t = new StringBuilder("| instance | input partitions (last sample) |");
    topics.forEach(topic -> t.append(" ").append(topic).append(" |"));
    t.append(" all input | share |\n|---|---|")
        .append("---|".repeat(topics.size() + 2))
        .append('\n');
    List<String> rows = new ArrayList<>(instances);
    work.keySet().stream().filter(k -> !rows.contains(k)).forEach(rows::add);
    for (String i : rows) {
      Map<String, Long> w = work.getOrDefault(i, Map.of());
      long sum = w.values().stream().mapToLong(x -> x).sum();
      t.append("| ").append(i).append(" | ");
      t.append(String.join(" ", assignment.getOrDefault(i, new TreeSet<>()))).append(" |");
      topics.forEach(topic -> t.append(" ").append(w.getOrDefault(topic, 0L)).append(" |"));
      t.append(" %d | %.0f%% |%n".formatted(sum, total == 0 ? 0 : 100.0 * sum / total));
    }
    return t.toString();
  }

  @Override
  public void close() {
    admin.close();
  }
}
