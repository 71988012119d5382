package io.alertbridge.config;

import java.util.List;
import java.util.Map;

/**
 * What a route matches. Each field takes one value or a list (any of them matches); a value that
 * starts with {@code ~} is a regular expression that must match the whole field. Absent fields
 * match everything.
 */
public record MatchSettings(
    List<String> severity,
    List<String> type,
    List<String> source,
    List<String> status,
    Map<String, List<String>> labels) {
  public static final MatchSettings ANY = new MatchSettings(null, null, null, null, null);

  public MatchSettings {
    severity = Copies.list(severity);
    type = Copies.list(type);
    source = Copies.list(source);
    status = Copies.list(status);
    labels = Copies.map(labels);
  }
}
