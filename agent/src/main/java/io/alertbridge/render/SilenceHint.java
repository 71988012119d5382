package io.alertbridge.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The line every mail ends with (issue 17): the exact command that silences its alert, or the
 * alerts it lists, for two hours, ready to copy. The matchers are the identity fields ({@code
 * source}, {@code type}, {@code labels.*}) that every listed alert shares, so a group's mail
 * silences its group and a one-alert mail that alert. Added by the composer, not the templates, so
 * an operator's own template cannot lose it.
 */
public final class SilenceHint {
  /** Context key: the matchers, as {@code name="value"} texts, that the NotificationPlanner set. */
  public static final String MATCHERS = "silence_matchers";

  /** Context key: the command, for templates that place it themselves. */
  public static final String COMMAND = "silence_command";

  /** A command of more is no help to read; fewer matchers still cover what the mail lists. */
  static final int MAX_MATCHERS = 12;

  /** Longer values are left out (a silence refuses values over 1024 characters). */
  static final int MAX_VALUE = 256;

  /** Where the daemon's configuration is when not told: the deploy kit's path. */
  public static final String DEFAULT_CONFIG = "/etc/alertbridge/alertbridge.yaml";

  private SilenceHint() {}

  /**
   * The matchers every alert shares: its source, type and labels with equal values. Each alert is
   * {@code source}, {@code type} and {@code labels}.
   */
  public static List<String> common(List<Map<String, Object>> alerts) {
    Map<String, String> shared = null;
    for (Map<String, Object> a : alerts) {
      Map<String, String> fields = new LinkedHashMap<>();
      put(fields, "type", a.get("type"));
      put(fields, "source", a.get("source"));
      if (a.get("labels") instanceof Map<?, ?> labels) {
        new java.util.TreeMap<>(labels).forEach((k, v) -> put(fields, "labels." + k, v));
      }
      if (shared == null) {
        shared = fields;
      } else {
        shared.entrySet().removeIf(e -> !Objects.equals(fields.get(e.getKey()), e.getValue()));
      }
    }
    List<String> out = new ArrayList<>();
    if (shared != null) {
      shared.forEach(
          (k, v) -> {
            if (out.size() < MAX_MATCHERS && usable(k, v)) {
              out.add(k + "=" + quote(v));
            }
          });
    }
    return out;
  }

  /** The shell command; null when nothing narrows it (a silence of everything is refused). */
  public static String command(String configFile, List<String> matchers) {
    if (matchers == null || matchers.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder("alertbridge silence add --config ");
    sb.append(shell(configFile == null ? DEFAULT_CONFIG : configFile));
    sb.append(" --duration 2h --author \"$USER\" --comment 'REASON'");
    for (String m : matchers) {
      sb.append(' ').append(shell(m));
    }
    return sb.toString();
  }

  /** The content with the command appended to its text and HTML bodies. */
  static RenderedContent append(RenderedContent c, String command) {
    if (command == null) {
      return c;
    }
    String intro = "To silence this for 2 hours (edit REASON):";
    Optional<String> text = c.text().map(t -> t + "\n\n" + intro + "\n  " + command + "\n");
    Optional<String> html =
        c.html()
            .map(
                h -> {
                  String block =
                      "<hr><p style=\"font-size:smaller\">"
                          + intro
                          + "</p><pre style=\"font-size:smaller\">"
                          + escape(command)
                          + "</pre>";
                  int end = h.toLowerCase(java.util.Locale.ROOT).lastIndexOf("</body>");
                  return end < 0 ? h + block : h.substring(0, end) + block + h.substring(end);
                });
    if (text.isEmpty() && html.isEmpty()) {
      text = Optional.of(intro + "\n  " + command + "\n");
    }
    return new RenderedContent(c.subject(), text, html);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  /**
   * Whether {@code alertbridge silence add} would take the field: a name it knows, a short value.
   */
  private static boolean usable(String name, String value) {
    String label = name.startsWith("labels.") ? name.substring("labels.".length()) : null;
    if (label != null && (label.isEmpty() || !label.matches("[A-Za-z0-9_./-]+"))) {
      return false;
    }
    return value.length() <= MAX_VALUE && value.chars().noneMatch(Character::isISOControl);
  }

  private static void put(Map<String, String> fields, String name, Object value) {
    if (value != null && !value.toString().isEmpty()) {
      fields.put(name, value.toString());
    }
  }

  private static String quote(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Single-quoted for a POSIX shell: nothing inside is expanded. */
  static String shell(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
