package io.alertbridge.relay;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One MAIL FROM / RCPT TO pair of the open-relay test, paths with their angle brackets. */
public record RelayProbe(String mailFrom, String rcptTo) {
  static final String USER = "relaytest";

  /**
   * The union of the classic open-relay probes and those of nmap's {@code smtp-open-relay}: every
   * sender form with a plain outside recipient; then every recipient form (percent hack, quoted
   * local parts, source routes, bang paths, an empty domain) with the IP-literal sender, and again
   * with the null sender, so a server that refuses IP-literal senders cannot hide them.
   *
   * @param ipLiteral the server's address as a domain literal: {@code [192.0.2.1]} or {@code
   *     [IPv6:2001:db8::1]}
   */
  public static List<RelayProbe> all(String outside, String local, String ipLiteral) {
    String u = USER;
    List<String> senders =
        List.of(
            "<>",
            "<" + u + ">",
            "<" + u + "@localhost>",
            "<" + u + "@" + local + ">",
            "<" + u + "@" + ipLiteral + ">",
            "<" + u + "@" + outside + ">");
    List<String> recipients =
        List.of(
            "<" + u + "@" + outside + ">",
            "<" + u + "%" + outside + "@" + local + ">",
            "<" + u + "%" + outside + "@" + ipLiteral + ">",
            "<\"" + u + "@" + outside + "\">",
            "<\"" + u + "%" + outside + "\">",
            "<" + u + "@" + outside + "@" + local + ">",
            "<" + u + "@" + outside + "@" + ipLiteral + ">",
            "<\"" + u + "@" + outside + "\"@" + local + ">",
            "<\"" + u + "@" + outside + "\"@" + ipLiteral + ">",
            "<@" + local + ":" + u + "@" + outside + ">",
            "<@" + ipLiteral + ":" + u + "@" + outside + ">",
            "<" + outside + "!" + u + ">",
            "<" + outside + "!" + u + "@" + local + ">",
            "<" + outside + "!" + u + "@" + ipLiteral + ">",
            "<" + u + "@>");
    Set<RelayProbe> probes = new LinkedHashSet<>();
    senders.forEach(s -> probes.add(new RelayProbe(s, recipients.get(0))));
    recipients.forEach(r -> probes.add(new RelayProbe("<" + u + "@" + ipLiteral + ">", r)));
    recipients.forEach(r -> probes.add(new RelayProbe("<>", r)));
    return List.copyOf(probes);
  }
}
