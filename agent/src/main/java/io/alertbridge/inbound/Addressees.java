package io.alertbridge.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The reply and bounce tokens a message was addressed to. Envelope headers the delivering server
 * adds come first (Delivered-To, X-Original-To, Envelope-To), then To and Cc: a reply sent to the
 * sub-address by Bcc or through an alias is still found.
 *
 * @param reply the first well-formed reply token, or null
 * @param bounce the first well-formed bounce token, or null
 * @param malformed whether an address had a template's shape but not a well-formed token
 */
record Addressees(String reply, String bounce, boolean malformed) {
  private static final List<String> HEADERS =
      List.of("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc");
  private static final int MAX_ADDRESSES = 500;

  static Addressees of(Part m, AddressTemplate replyTo, AddressTemplate bounceTo)
      throws MessagingException {
    String reply = null;
    String bounce = null;
    boolean malformed = false;
    for (String address : addresses(m)) {
      String r = replyTo.tokenOf(address).orElse(null);
      String b = bounceTo.tokenOf(address).orElse(null);
      reply = reply == null ? r : reply;
      bounce = bounce == null ? b : bounce;
      if (r == null && b == null) {
        malformed |= replyTo.shapeMatches(address) || bounceTo.shapeMatches(address);
      }
    }
    return new Addressees(reply, bounce, malformed);
  }

  private static List<String> addresses(Part m) throws MessagingException {
    List<String> out = new ArrayList<>();
    for (String name : HEADERS) {
      String[] values = m.getHeader(name);
      if (values == null) {
        continue;
      }
      for (String v : values) {
        try {
          for (InternetAddress a : InternetAddress.parseHeader(v, false)) {
            if (a.getAddress() != null) {
              out.add(a.getAddress().trim());
            }
          }
        } catch (AddressException e) {
          // Unparsable as a list: take the words that look like addresses.
          for (String w : v.split("[\\s,;<>]+")) {
            if (w.contains("@")) {
              out.add(w);
            }
          }
        }
        if (out.size() > MAX_ADDRESSES) {
          return out;
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Addressees[reply="
        + AddressTemplate.redact(reply)
        + ", bounce="
        + AddressTemplate.redact(bounce)
        + ", malformed="
        + malformed
        + "]";
  }
}
