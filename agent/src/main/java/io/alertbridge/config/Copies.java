package io.alertbridge.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unmodifiable copies that keep YAML order and tolerate null entries: {@code List.copyOf} would
 * throw on a null and hide the key path that {@link ConfigValidator} reports for it.
 */
final class Copies {
  private Copies() {}

  static <T> List<T> list(List<T> source) {
    return source == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(source));
  }

  static <K, V> Map<K, V> map(Map<K, V> source) {
    return source == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(source));
  }
}
