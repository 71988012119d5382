package io.alertbridge.silence;

import java.util.Map;

/**
 * What a matcher sees of an alert: the names {@code group-by} uses ({@code source}, {@code type},
 * {@code severity}, {@code labels.NAME}). An absent field is the empty value, as in Alertmanager,
 * so {@code labels.site!=""} means "has a site".
 */
public interface AlertFields {
  /** The field's value, or {@code ""} when the alert lacks it. */
  String get(String name);

  /** Every field the alert has, by name, for the matchers that must see them all (an index). */
  Map<String, String> all();

  /** An alert's fields from its parts; null parts are empty. */
  static AlertFields of(String source, String type, String severity, Map<String, String> labels) {
    java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
    put(m, Matcher.SOURCE, source);
    put(m, Matcher.TYPE, type);
    put(m, Matcher.SEVERITY, severity);
    if (labels != null) {
      labels.forEach((k, v) -> put(m, Matcher.LABELS + k, v));
    }
    Map<String, String> fields = java.util.Collections.unmodifiableMap(m);
    return new AlertFields() {
      @Override
      public String get(String name) {
        return fields.getOrDefault(name, "");
      }

      @Override
      public Map<String, String> all() {
        return fields;
      }

      @Override
      public String toString() {
        return fields.toString();
      }
    };
  }

  private static void put(Map<String, String> m, String k, String v) {
    if (v != null && !v.isEmpty()) {
      m.put(k, v);
    }
  }
}
