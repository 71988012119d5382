package io.alertbridge.config;

import java.util.Optional;

/** A share between 0 and 100, written {@code 50%} or {@code 50}. */
public record Percentage(double value) {
  public static final String RULE = "must be a percentage between 1% and 100%, such as 50%";

  public static Optional<Percentage> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim();
    t = t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t;
    try {
      double v = Double.parseDouble(t);
      return v > 0 && v <= 100 ? Optional.of(new Percentage(v)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value)) + "%";
  }
}
