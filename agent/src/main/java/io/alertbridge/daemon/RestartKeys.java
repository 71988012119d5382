package io.alertbridge.daemon;

import io.alertbridge.config.AlertbridgeConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a reload cannot apply, because what they configure is built once at start: the Kafka
 * clients and the consumer group, the Streams application and its topics, the HTTP listeners, the
 * audit log, logging, the inbound mailbox and its keys, the retry policy and the circuit breakers'
 * configuration. A reload names each one that changed instead of ignoring it silently (issue 17).
 *
 * <p>The sections are walked by their record components, so a key added to one of them later is
 * covered without a change here.
 */
final class RestartKeys {
  /** Every key under these needs a restart. */
  static final Set<String> SECTIONS =
      Set.of("kafka", "policy", "http", "audit", "logging", "inbound");

  /** These keys of sections that otherwise reload need a restart too. */
  static final Set<String> KEYS =
      Set.of(
          "delivery.max-queued-per-partition",
          "delivery.max-queued-bytes-per-partition",
          "delivery.shutdown-timeout",
          "delivery.max-unexpected-failures",
          "smtp.retry",
          "smtp.circuit-breaker");

  /** Values under these key paths may hold credentials (SASL, passwords): never logged. */
  private static final List<String> SECRET = List.of("properties", "password", "secret", "token");

  private RestartKeys() {}

  /**
   * One key that changed in the file but keeps its running value until a restart.
   *
   * @param running the value in use, as text ({@code (hidden)} for a secret)
   * @param found the value in the file now
   */
  record Change(String key, String running, String found) {
    @Override
    public String toString() {
      return key + " changed: needs a restart; keeping " + running + " (found: " + found + ")";
    }
  }

  /** Each restart-only key whose value differs between the two, in configuration order. */
  static List<Change> between(AlertbridgeConfig running, AlertbridgeConfig next) {
    List<Change> changes = new ArrayList<>();
    for (RecordComponent c : AlertbridgeConfig.class.getRecordComponents()) {
      String key = kebab(c.getName());
      Object a = value(c, running);
      Object b = value(c, next);
      if (SECTIONS.contains(key)) {
        compare(key, a, b, changes);
      } else if (a != null
          && b != null
          && a.getClass().isRecord()
          && a.getClass() == b.getClass()) {
        for (RecordComponent sub : a.getClass().getRecordComponents()) {
          String subKey = key + "." + kebab(sub.getName());
          if (KEYS.contains(subKey)) {
            compare(subKey, value(sub, a), value(sub, b), changes);
          }
        }
      }
    }
    return changes;
  }

  private static void compare(String key, Object a, Object b, List<Change> changes) {
    if (Objects.equals(a, b)) {
      return;
    }
    if (a != null && b != null && a.getClass().isRecord() && a.getClass() == b.getClass()) {
      for (RecordComponent c : a.getClass().getRecordComponents()) {
        compare(key + "." + kebab(c.getName()), value(c, a), value(c, b), changes);
      }
    } else if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Set<String> names = new TreeSet<>();
      ma.keySet().forEach(k -> names.add(String.valueOf(k)));
      mb.keySet().forEach(k -> names.add(String.valueOf(k)));
      for (String name : names) {
        compare(key + "." + name, ma.get(name), mb.get(name), changes);
      }
    } else {
      changes.add(new Change(key, show(key, a), show(key, b)));
    }
  }

  private static String show(String key, Object value) {
    if (value == null) {
      return "(not set)";
    }
    String lower = key.toLowerCase(Locale.ROOT);
    if (SECRET.stream().anyMatch(lower::contains)) {
      return "(hidden)";
    }
    if (value instanceof java.time.Duration d) {
      return io.alertbridge.config.Durations.format(d);
    }
    return value instanceof String ? '"' + (String) value + '"' : String.valueOf(value);
  }

  /** Through the accessor, so a default the record supplies counts as the value. */
  private static Object value(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + record, e);
    }
  }

  /** The YAML key of a record component: the loader binds kebab-case to camelCase. */
  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
