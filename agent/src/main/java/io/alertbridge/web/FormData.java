package io.alertbridge.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A form's fields as a browser posts them ({@code application/x-www-form-urlencoded}). */
final class FormData {
  private final Map<String, String> fields;

  private FormData(Map<String, String> fields) {
    this.fields = fields;
  }

  /**
   * @throws IllegalArgumentException when a {@code %} escape is malformed
   */
  static FormData parse(byte[] body) {
    Map<String, String> fields = new HashMap<>();
    String text = new String(body, StandardCharsets.US_ASCII);
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      fields.putIfAbsent(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return new FormData(fields);
  }

  /** The field's value; null when absent. */
  String get(String name) {
    return fields.get(name);
  }
}
