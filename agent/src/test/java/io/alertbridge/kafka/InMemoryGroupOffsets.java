package io.alertbridge.kafka;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/** Consumer groups' committed offsets in memory, for tests without a broker. */
public final class InMemoryGroupOffsets implements GroupOffsets {
  public final Map<String, Map<TopicPartition, Long>> groups = new HashMap<>();
  public final Set<String> activeGroups = new HashSet<>();
  public final Set<String> topics = new HashSet<>();

  public void commit(String group, String topic, int partition, long offset) {
    groups
        .computeIfAbsent(group, g -> new LinkedHashMap<>())
        .put(new TopicPartition(topic, partition), offset);
  }

  @Override
  public synchronized Map<TopicPartition, Long> committed(String group, List<String> of) {
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    groups
        .getOrDefault(group, Map.of())
        .forEach(
            (tp, o) -> {
              if (of.contains(tp.topic())) {
                out.put(tp, o);
              }
            });
    return out;
  }

  @Override
  public synchronized boolean alter(String group, Map<TopicPartition, Long> offsets) {
    if (activeGroups.contains(group)) {
      return false;
    }
    groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).putAll(offsets);
    return true;
  }

  @Override
  public boolean exists(String topic) {
    return topics.contains(topic);
  }

  @Override
  public void close() {}
}
