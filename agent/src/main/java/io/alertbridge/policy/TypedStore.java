package io.alertbridge.policy;

import java.io.IOException;
import java.util.function.BiConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A state store of one {@link StateValue} type, as JSON. A value that cannot be read (another
 * version, a bug, a truncated write) is logged, counted and deleted: it costs what it held, never
 * the task, which would otherwise die on it at every start (issue 16). A value larger than {@link
 * #MAX_VALUE_BYTES} is refused before it reaches the changelog.
 */
final class TypedStore<T extends StateValue> {
  private static final Logger log = LoggerFactory.getLogger(TypedStore.class);

  /**
   * No state value is larger: far below Kafka's default record limit (1 MiB), which the policy's
   * topics and producer set explicitly ({@link PolicyTopics#MAX_MESSAGE_BYTES}).
   */
  static final int MAX_VALUE_BYTES = 256 * 1024;

  private final KeyValueStore<String, byte[]> store;
  private final Class<T> type;
  private final PolicyObserver observer;

  TypedStore(KeyValueStore<String, byte[]> store, Class<T> type, PolicyObserver observer) {
    this.store = store;
    this.type = type;
    this.observer = observer;
  }

  String name() {
    return store.name();
  }

  T get(String key) {
    byte[] v = store.get(key);
    return v == null ? null : read(key, v);
  }

  void put(String key, T value) {
    byte[] bytes = PolicyJson.write(value);
    if (bytes.length > MAX_VALUE_BYTES) {
      // Every value is bounded by construction; this is the proof's last line, not a path.
      throw new IllegalStateException(
          "state value " + key + " of " + bytes.length + " bytes is over " + MAX_VALUE_BYTES);
    }
    store.put(key, bytes);
  }

  void delete(String key) {
    store.delete(key);
  }

  /** Each readable value whose key starts with {@code prefix}, in key order; the rest dropped. */
  void forEachWithPrefix(String prefix, BiConsumer<String, T> each) {
    try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
      visit(it, each);
    }
  }

  /** Each readable value; the rest dropped. */
  void forEach(BiConsumer<String, T> each) {
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      visit(it, each);
    }
  }

  private void visit(KeyValueIterator<String, byte[]> it, BiConsumer<String, T> each) {
    while (it.hasNext()) {
      KeyValue<String, byte[]> kv = it.next();
      if (kv.value == null) {
        continue;
      }
      T value = read(kv.key, kv.value);
      if (value != null) {
        each.accept(kv.key, value);
      }
    }
  }

  private T read(String key, byte[] bytes) {
    try {
      return PolicyJson.read(bytes, type);
    } catch (KafkaException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      log.error(
          "policy store {}: value of {} cannot be read as {} and is dropped: {}",
          store.name(),
          key,
          type.getSimpleName(),
          e.getMessage());
      observer.stateDropped(store.name());
      store.delete(key);
      return null;
    }
  }
}
