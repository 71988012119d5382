package io.alertbridge.route;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Matches one event field against the values a route lists: any exact value, or any {@code ~regex}
 * that matches the whole field. An empty list matches everything.
 */
final class ValueMatcher implements Predicate<String> {
  private final List<Predicate<String>> alternatives;

  private ValueMatcher(List<Predicate<String>> alternatives) {
    this.alternatives = alternatives;
  }

  static ValueMatcher of(List<String> values, boolean ignoreCase) {
    return new ValueMatcher(values.stream().map(v -> alternative(v, ignoreCase)).toList());
  }

  private static Predicate<String> alternative(String value, boolean ignoreCase) {
    if (value.startsWith("~")) {
      Pattern p = Pattern.compile(value.substring(1));
      return s -> s != null && p.matcher(s).matches();
    }
    if (ignoreCase) {
      String lower = value.toLowerCase(Locale.ROOT);
      return s -> s != null && s.toLowerCase(Locale.ROOT).equals(lower);
    }
    return value::equals;
  }

  @Override
  public boolean test(String field) {
    if (alternatives.isEmpty()) {
      return true;
    }
    for (Predicate<String> a : alternatives) {
      if (a.test(field)) {
        return true;
      }
    }
    return false;
  }
}
