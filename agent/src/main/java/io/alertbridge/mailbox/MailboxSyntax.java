package io.alertbridge.mailbox;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks an address against the SMTP mailbox grammar of RFC 5321 §4.1.2, extended by RFC 6531
 * (SMTPUTF8) for non-ASCII local parts and domains.
 *
 * <p>This is deliberately not {@code InternetAddress.validate()}: that parser follows RFC 822 and
 * accepts display names, comments, source routes and escapes that an SMTP server must refuse in a
 * MAIL or RCPT command.
 */
public final class MailboxSyntax {
  static final int MAX_LOCAL_PART_OCTETS = 64;
  static final int MAX_ADDRESS_OCTETS = 254;
  static final int MAX_DOMAIN_OCTETS = 255;
  static final int MAX_LABEL_OCTETS = 63;

  private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

  private MailboxSyntax() {}

  /** The outcome of a syntax check: valid or not, why, and what a server must support. */
  public record Result(
      String address,
      boolean valid,
      List<String> reasons,
      boolean smtputf8,
      Optional<String> asciiDomain) {
    public Result {
      reasons = List.copyOf(reasons);
    }
  }

  public static Result check(String address) {
    List<String> reasons = new ArrayList<>();
    if (address == null || address.isEmpty()) {
      return invalid(address, "address is empty");
    }
    int badChar = firstControlCharacter(address);
    if (badChar >= 0) {
      return invalid(
          address,
          String.format("contains control character U+%04X", (int) address.charAt(badChar)));
    }
    if (address.contains("<") || address.contains(">")) {
      return invalid(address, "display names and angle brackets are not part of a mailbox");
    }
    if (address.startsWith("@") && address.contains(":")) {
      return invalid(address, "source routes (@host:) are not allowed in a mailbox");
    }
    if (outsideQuotes(address, '(') || outsideQuotes(address, ')')) {
      return invalid(address, "comments are not allowed in a mailbox");
    }
    int at = splitPoint(address);
    if (at < 0) {
      return invalid(address, unsplittableReason(address));
    }
    String local = address.substring(0, at);
    String domain = address.substring(at + 1);
    // Only a non-ASCII local part needs SMTPUTF8: a domain can always travel as its A-label.
    boolean utf8 = !isAscii(local);

    checkLocalPart(local, reasons);
    Optional<String> ascii = checkDomain(domain, reasons);
    if (octets(address) > MAX_ADDRESS_OCTETS) {
      reasons.add(
          "address is " + octets(address) + " octets long; the limit is " + MAX_ADDRESS_OCTETS);
    }
    return new Result(address, reasons.isEmpty(), reasons, utf8, ascii);
  }

  /**
   * Why {@code name} is not usable as a domain in EHLO or a path (a host name or an address
   * literal), or empty when it is. Rejects control characters, so nothing can smuggle a second
   * command into the line.
   */
  public static Optional<String> domainProblem(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is empty");
    }
    Result r = check("postmaster@" + name);
    return r.valid() ? Optional.empty() : Optional.of(String.join("; ", r.reasons()));
  }

  private static Result invalid(String address, String reason) {
    return new Result(address, false, List.of(reason), false, Optional.empty());
  }

  /**
   * The '@' that separates local part and domain: the last one, or for a quoted local part the last
   * one after its closing quote. -1 if there is none.
   */
  private static int splitPoint(String address) {
    int at = address.lastIndexOf('@');
    if (!address.startsWith("\"")) {
      return at;
    }
    int close = closingQuote(address);
    return close >= 0 && at > close ? at : -1;
  }

  private static String unsplittableReason(String address) {
    if (address.startsWith("\"") && address.indexOf('@') > 0) {
      return "quoted local part is not closed by a double quote";
    }
    return "has no '@' separating local part and domain";
  }

  private static void checkLocalPart(String local, List<String> reasons) {
    if (local.isEmpty()) {
      reasons.add("local part is empty");
      return;
    }
    if (octets(local) > MAX_LOCAL_PART_OCTETS) {
      reasons.add(
          "local part is " + octets(local) + " octets long; the limit is " + MAX_LOCAL_PART_OCTETS);
    }
    if (local.startsWith("\"")) {
      checkQuotedString(local, reasons);
    } else {
      checkDotString(local, reasons);
    }
  }

  private static void checkQuotedString(String local, List<String> reasons) {
    int close = closingQuote(local);
    if (close < 0) {
      reasons.add("quoted local part is not closed by a double quote");
      return;
    }
    if (close != local.length() - 1) {
      reasons.add("text follows the closing double quote of the local part");
      return;
    }
    for (int i = 1; i < local.length() - 1; i++) {
      char c = local.charAt(i);
      if (c == '\\') {
        if (i + 2 >= local.length() || local.charAt(i + 1) < 32 || local.charAt(i + 1) > 126) {
          reasons.add("backslash in a quoted local part must escape a printable ASCII character");
          return;
        }
        i++;
      } else if (c == '"') {
        reasons.add("unescaped double quote inside a quoted local part");
        return;
      }
    }
  }

  private static void checkDotString(String local, List<String> reasons) {
    if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
      reasons.add("local part has an empty atom (leading, trailing or double dot)");
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c == '.' || isAtext(c)) {
        continue;
      }
      if (c == '\\') {
        reasons.add("backslash escapes are only allowed inside a quoted local part");
      } else if (c == ' ') {
        reasons.add("local part contains a space, which needs quoting");
      } else {
        reasons.add("local part contains '" + c + "', which needs quoting");
      }
      return;
    }
  }

  private static boolean isAtext(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || ATEXT_SPECIALS.indexOf(c) >= 0
        || c > 127;
  }

  private static Optional<String> checkDomain(String domain, List<String> reasons) {
    if (domain.isEmpty()) {
      reasons.add("domain is empty");
      return Optional.empty();
    }
    if (domain.startsWith("[")) {
      Optional<String> problem = AddressLiteral.problem(domain);
      problem.ifPresent(reasons::add);
      return problem.isPresent() ? Optional.empty() : Optional.of(domain);
    }
    if (domain.endsWith(".")) {
      reasons.add("domain ends with a dot");
      return Optional.empty();
    }
    List<String> ascii = new ArrayList<>();
    for (String label : domain.split("\\.", -1)) {
      Optional<String> a = checkLabel(label, reasons);
      if (a.isEmpty()) {
        return Optional.empty();
      }
      ascii.add(a.get());
    }
    String asciiDomain = String.join(".", ascii);
    if (asciiDomain.length() > MAX_DOMAIN_OCTETS) {
      reasons.add(
          "domain is " + asciiDomain.length() + " octets long; the limit is " + MAX_DOMAIN_OCTETS);
      return Optional.empty();
    }
    return Optional.of(asciiDomain);
  }

  /** Checks one label (RFC 5321 sub-domain; a U-label per IDNA); returns its ASCII form. */
  private static Optional<String> checkLabel(String label, List<String> reasons) {
    if (label.isEmpty()) {
      reasons.add("domain has an empty label");
      return Optional.empty();
    }
    String ascii = label;
    if (!isAscii(label)) {
      try {
        ascii = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        reasons.add("domain label '" + label + "' is not a valid internationalised label");
        return Optional.empty();
      }
    }
    if (ascii.length() > MAX_LABEL_OCTETS) {
      reasons.add(
          "domain label '"
              + label
              + "' is "
              + ascii.length()
              + " octets long; the limit is "
              + MAX_LABEL_OCTETS);
      return Optional.empty();
    }
    if (ascii.startsWith("-") || ascii.endsWith("-")) {
      reasons.add("domain label '" + label + "' starts or ends with a hyphen");
      return Optional.empty();
    }
    for (char c : ascii.toCharArray()) {
      boolean ldh =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ldh) {
        reasons.add("domain label '" + label + "' contains '" + c + "'");
        return Optional.empty();
      }
    }
    return Optional.of(ascii);
  }

  /** The index of the double quote that closes the one at index 0, or -1. */
  private static int closingQuote(String s) {
    for (int i = 1; i < s.length(); i++) {
      if (s.charAt(i) == '\\') {
        i++;
      } else if (s.charAt(i) == '"') {
        return i;
      }
    }
    return -1;
  }

  private static boolean outsideQuotes(String s, char wanted) {
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == wanted) {
        return true;
      }
    }
    return false;
  }

  static int firstControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.getType(c) == Character.CONTROL) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c < 128);
  }

  private static int octets(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
