package io.alertbridge.mailbox;

import java.util.Optional;
import java.util.regex.Pattern;

/** Address literals of RFC 5321 §4.1.3: {@code [192.0.2.1]} and {@code [IPv6:2001:db8::1]}. */
final class AddressLiteral {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1,4}");

  private AddressLiteral() {}

  static Optional<String> problem(String literal) {
    if (!literal.endsWith("]")) {
      return Optional.of("address literal is not closed by ']'");
    }
    String body = literal.substring(1, literal.length() - 1);
    if (IPV4.matcher(body).matches()) {
      return Optional.empty();
    }
    if (body.regionMatches(true, 0, "IPv6:", 0, 5)) {
      return isIpv6(body.substring(5))
          ? Optional.empty()
          : Optional.of("'" + body.substring(5) + "' is not an IPv6 address");
    }
    return Optional.of("address literal '" + literal + "' is neither IPv4 nor IPv6");
  }

  private static boolean isIpv6(String s) {
    String head = s;
    int lastColon = s.lastIndexOf(':');
    if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
      if (!IPV4.matcher(s.substring(lastColon + 1)).matches()) {
        return false;
      }
      // An embedded IPv4 address stands for the last two 16-bit groups.
      head = s.substring(0, lastColon + 1) + "0:0";
    }
    int doubleColon = head.indexOf("::");
    if (doubleColon >= 0) {
      if (head.indexOf("::", doubleColon + 1) >= 0) {
        return false;
      }
      int left = countGroups(head.substring(0, doubleColon));
      int right = countGroups(head.substring(doubleColon + 2));
      return left >= 0 && right >= 0 && left + right <= 7;
    }
    return countGroups(head) == 8;
  }

  /** The number of hex groups in a colon-separated run, or -1 when one is malformed. */
  private static int countGroups(String run) {
    if (run.isEmpty()) {
      return 0;
    }
    String[] groups = run.split(":", -1);
    for (String g : groups) {
      if (!HEX.matcher(g).matches()) {
        return -1;
      }
    }
    return groups.length;
  }
}
