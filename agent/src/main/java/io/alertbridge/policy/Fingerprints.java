package io.alertbridge.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert's identity: source, type and all labels, never the event id, values or time. Successive
 * events with one fingerprint are readings of one alert.
 */
public final class Fingerprints {
  private Fingerprints() {}

  public static String of(AlertSnapshot e) {
    StringBuilder sb = new StringBuilder();
    field(sb, e.source());
    field(sb, e.type());
    // Sorted, so the producer's label order does not split one alert into two.
    new TreeMap<>(e.labels())
        .forEach(
            (k, v) -> {
              field(sb, k);
              field(sb, v);
            });
    return hash(sb.toString(), 8);
  }

  /**
   * The group an event belongs to on a route: the route and the values of its {@code group-by}
   * fields, or the fingerprint when it has none. The labels are shown in mails.
   */
  static Map<String, String> groupLabels(List<String> groupBy, AlertSnapshot e) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (String field : groupBy) {
      // Shown in mails as site=ship-1, not labels.site=ship-1.
      labels.put(
          field.startsWith("labels.") ? field.substring("labels.".length()) : field,
          groupValue(field, e));
    }
    return labels;
  }

  public static String groupKey(String route, List<String> groupBy, AlertSnapshot e) {
    StringBuilder sb = new StringBuilder();
    field(sb, route);
    if (groupBy.isEmpty()) {
      field(sb, of(e));
    } else {
      for (String f : groupBy) {
        field(sb, f);
        field(sb, groupValue(f, e));
      }
    }
    // Readable prefix for logs and audit lines, hash for uniqueness and a bounded length.
    return route + ":" + hash(sb.toString(), 10);
  }

  private static String groupValue(String field, AlertSnapshot e) {
    return switch (field) {
      case "id" -> e.id();
      case "source" -> e.source();
      case "type" -> e.type();
      case "severity" -> e.severity();
      default ->
          field.startsWith("labels.")
              ? e.labels().getOrDefault(field.substring("labels.".length()), "")
              : "";
    };
  }

  /** Length-prefixed, so ("ab","c") and ("a","bc") differ. */
  private static void field(StringBuilder sb, String s) {
    String v = s == null ? "" : s;
    sb.append(v.length()).append(':').append(v).append('\u0000');
  }

  static String hash(String s, int bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
