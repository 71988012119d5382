package io.alertbridge.inbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of a {@code message/delivery-status} part (RFC 3464 §2.1): per-message fields, then one
 * group of fields per recipient, groups separated by blank lines, fields folded like headers.
 *
 * @param perMessage lowercase field name to unfolded value
 */
record DeliveryStatus(Map<String, String> perMessage, List<Inbound.RecipientStatus> recipients) {
  static final int MAX_DIAGNOSTIC = 300;
  private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  DeliveryStatus {
    perMessage = Map.copyOf(perMessage);
    recipients = List.copyOf(recipients);
  }

  String field(String name) {
    return perMessage.get(name);
  }

  static DeliveryStatus parse(String body) {
    Map<String, String> perMessage = new LinkedHashMap<>();
    List<Inbound.RecipientStatus> recipients = new ArrayList<>();
    for (Map<String, String> group : groups(body)) {
      if (group.containsKey("final-recipient") || group.containsKey("original-recipient")) {
        Inbound.RecipientStatus r = recipient(group);
        if (r != null) {
          recipients.add(r);
        }
      } else {
        // Some MTAs put no blank line after the per-message fields: merge what is not a recipient.
        group.forEach(perMessage::putIfAbsent);
      }
    }
    return new DeliveryStatus(perMessage, recipients);
  }

  /** Groups of unfolded fields; field names lowercased, the first occurrence of each kept. */
  static List<Map<String, String>> groups(String body) {
    List<Map<String, String>> groups = new ArrayList<>();
    Map<String, String> group = new LinkedHashMap<>();
    String name = null;
    StringBuilder value = new StringBuilder();
    for (String line : body.split("\r\n|\r|\n", -1)) {
      boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
      if (continuation && !line.isBlank()) {
        if (name != null) {
          value.append(' ').append(line.trim());
        }
        continue;
      }
      if (name != null) {
        group.putIfAbsent(name, value.toString().trim());
        name = null;
      }
      if (line.isBlank()) {
        if (!group.isEmpty()) {
          groups.add(group);
          group = new LinkedHashMap<>();
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        value.setLength(0);
        value.append(line.substring(colon + 1));
      }
    }
    if (name != null) {
      group.putIfAbsent(name, value.toString().trim());
    }
    if (!group.isEmpty()) {
      groups.add(group);
    }
    return groups;
  }

  private static Inbound.RecipientStatus recipient(Map<String, String> group) {
    String address = address(group.get("original-recipient"));
    if (address == null) {
      address = address(group.get("final-recipient"));
    }
    Inbound.Action action = action(group.get("action"));
    if (address == null || action == null) {
      return null; // both are required (RFC 3464 §2.3): without them the group says nothing
    }
    String status = null;
    String raw = group.get("status");
    if (raw != null) {
      Matcher m = STATUS.matcher(raw);
      status = m.find() ? m.group() : null;
    }
    return new Inbound.RecipientStatus(
        address, action, status, diagnostic(group.get("diagnostic-code")));
  }

  /** {@code rfc822; x@y} → {@code x@y}; the address type is dropped. */
  static String address(String typed) {
    if (typed == null) {
      return null;
    }
    int semi = typed.indexOf(';');
    String a = (semi >= 0 ? typed.substring(semi + 1) : typed).trim();
    if (a.startsWith("<") && a.endsWith(">")) {
      a = a.substring(1, a.length() - 1).trim();
    }
    return a.isEmpty() ? null : a;
  }

  private static Inbound.Action action(String raw) {
    if (raw == null) {
      return null;
    }
    String word = raw.trim().split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
    for (Inbound.Action a : Inbound.Action.values()) {
      if (a.name().equals(word)) {
        return a;
      }
    }
    return null;
  }

  /** {@code smtp; 550 5.1.1 ...} → {@code 550 5.1.1 ...}, one line, at most 300 characters. */
  static String diagnostic(String raw) {
    if (raw == null) {
      return null;
    }
    int semi = raw.indexOf(';');
    String text = oneLine(semi >= 0 ? raw.substring(semi + 1) : raw);
    return text.isEmpty() ? null : text;
  }

  static String oneLine(String raw) {
    String text = raw.replaceAll("[\\r\\n\\t ]+", " ").replaceAll("\\p{Cntrl}", "").trim();
    return text.length() <= MAX_DIAGNOSTIC ? text : text.substring(0, MAX_DIAGNOSTIC - 1) + "…";
  }
}
