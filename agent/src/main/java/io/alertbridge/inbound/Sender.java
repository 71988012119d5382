package io.alertbridge.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;

/**
 * Who a message says it is from: the From addr-spec (lowercased), or why it has none; whether it is
 * a mail system's (MAILER-DAEMON, postmaster, or a bounce marked by Exchange or Exim); and whether
 * its Return-Path is the null sender {@code <>}.
 */
record Sender(String address, String problem, boolean mailSystem, boolean nullReturnPath) {

  static Sender of(Part m) throws MessagingException {
    String address = null;
    String problem = null;
    String lenient = null;
    String[] from = m.getHeader("From");
    if (from == null || from.length == 0) {
      problem = "no From header";
    } else if (from.length > 1) {
      problem = "more than one From header";
    } else {
      try {
        InternetAddress[] list = InternetAddress.parseHeader(from[0], false);
        lenient = list.length == 1 ? list[0].getAddress() : null;
        if (list.length != 1
            || list[0].getAddress() == null
            || !list[0].getAddress().contains("@")) {
          problem = "From must hold exactly one address, found " + list.length;
        } else {
          // Parsed leniently to read real-world headers, then checked strictly: "<<<@@@" would
          // otherwise become an address.
          list[0].validate();
          address = list[0].getAddress().trim().toLowerCase(Locale.ROOT);
        }
      } catch (AddressException e) {
        problem = "From is not a valid address";
      }
    }
    return new Sender(address, problem, mailSystem(m, lenient), nullReturnPath(m));
  }

  /** From a leniently parsed From: {@code From: MAILER-DAEMON} without a domain is one too. */
  private static boolean mailSystem(Part m, String address) throws MessagingException {
    if (m.getHeader("X-MS-Exchange-Message-Is-Ndr") != null
        || m.getHeader("X-Failed-Recipients") != null) {
      return true;
    }
    if (address == null) {
      return false;
    }
    int at = address.lastIndexOf('@');
    String local = (at < 0 ? address : address.substring(0, at)).trim().toLowerCase(Locale.ROOT);
    return local.equals("mailer-daemon") || local.equals("postmaster");
  }

  private static boolean nullReturnPath(Part m) throws MessagingException {
    String[] rp = m.getHeader("Return-Path");
    return rp != null && rp.length > 0 && rp[0].replaceAll("\\s", "").equals("<>");
  }
}
