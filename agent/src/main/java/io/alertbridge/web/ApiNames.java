package io.alertbridge.web;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import java.util.Set;

/**
 * Alertmanager's names for alertbridge's fields, in the v2 API only: there a bare name is a label
 * ({@code sensor} is {@code labels.sensor}) and {@code alertname} is {@code type}, so that amtool
 * and Grafana, which know only labels, work unchanged. The prefixed names work too.
 */
final class ApiNames {
  static final String ALERTNAME = "alertname";

  /**
   * Labels whose bare names would mean something else, so they keep their prefix on the way out.
   */
  private static final Set<String> RESERVED =
      Set.of(Matcher.SOURCE, Matcher.TYPE, Matcher.SEVERITY, ALERTNAME);

  private ApiNames() {}

  /** The field an API name means. */
  static String field(String apiName) {
    if (apiName.equals(ALERTNAME)) {
      return Matcher.TYPE;
    }
    if (RESERVED.contains(apiName) || apiName.startsWith(Matcher.LABELS)) {
      return apiName;
    }
    return Matcher.LABELS + apiName;
  }

  /** The API name of a field: the inverse of {@link #field}. */
  static String apiName(String field) {
    if (field.equals(Matcher.TYPE)) {
      return ALERTNAME;
    }
    if (!field.startsWith(Matcher.LABELS)) {
      return field;
    }
    String label = field.substring(Matcher.LABELS.length());
    return RESERVED.contains(label) || label.startsWith(Matcher.LABELS) ? field : label;
  }

  /**
   * A matcher of the API's JSON ({@code name}, {@code value}, {@code isRegex}, {@code isEqual}).
   */
  static Matcher matcher(String name, String value, boolean isRegex, boolean isEqual) {
    Matcher.Op op =
        isRegex
            ? (isEqual ? Matcher.Op.REGEX : Matcher.Op.NOT_REGEX)
            : (isEqual ? Matcher.Op.EQUAL : Matcher.Op.NOT_EQUAL);
    return Matcher.of(field(name), op, value);
  }

  /**
   * A {@code filter} parameter in Prometheus's syntax: {@code alertname="x"}, {@code site=~"a.*"}.
   */
  static Matcher filter(String text) {
    String t = text.strip();
    int i = 0;
    while (i < t.length() && "=!~".indexOf(t.charAt(i)) < 0) {
      i++;
    }
    String name = t.substring(0, i).strip();
    if (name.isEmpty() || i == t.length()) {
      throw new MatcherException(
          "filter " + t + ": not NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX");
    }
    return Matcher.parse(field(name) + t.substring(i));
  }
}
