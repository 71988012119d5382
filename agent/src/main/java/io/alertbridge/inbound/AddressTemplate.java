package io.alertbridge.inbound;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sub-address template such as {@code alerts+{token}@alertbridge.plant.example}: exactly one
 * {@code {token}} in the local part. Formats a token into an address, and finds the token in an
 * address the mailbox received.
 */
public final class AddressTemplate {
  public static final String PLACEHOLDER = "{token}";
  public static final String RULE =
      "must be an address with exactly one {token} in its local part, such as"
          + " alerts+{token}@alertbridge.plant.example";

  /** Base32 (RFC 4648) lowercase: unguessable at 16 characters (80 bits) and up. */
  private static final Pattern TOKEN = Pattern.compile("[a-z2-7]{16,64}");

  private final String prefix;
  private final String suffix;
  private final String domain;

  private AddressTemplate(String prefix, String suffix, String domain) {
    this.prefix = prefix;
    this.suffix = suffix;
    this.domain = domain;
  }

  /**
   * Parses a template from the configuration.
   *
   * @throws IllegalArgumentException with {@link #RULE} and what was wrong
   */
  public static AddressTemplate parse(String template) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException(RULE + "; found none");
    }
    for (char c : template.toCharArray()) {
      if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',') {
        throw new IllegalArgumentException(
            RULE + "; found a space, control character, quote, comma or angle bracket");
      }
    }
    int at = template.lastIndexOf('@');
    if (at <= 0 || at == template.length() - 1) {
      throw new IllegalArgumentException(RULE + "; found no local part or no domain");
    }
    String local = template.substring(0, at);
    String domain = template.substring(at + 1);
    int first = local.indexOf(PLACEHOLDER);
    if (first < 0 || local.indexOf(PLACEHOLDER, first + 1) >= 0) {
      throw new IllegalArgumentException(RULE + "; found " + count(local) + " in the local part");
    }
    if (domain.contains("{") || domain.contains("}") || domain.contains("@")) {
      throw new IllegalArgumentException(RULE + "; the domain may not contain {, } or @");
    }
    String prefix = local.substring(0, first);
    String suffix = local.substring(first + PLACEHOLDER.length());
    if ((prefix + suffix).contains("{") || (prefix + suffix).contains("}")) {
      throw new IllegalArgumentException(RULE + "; found another {...} in the local part");
    }
    return new AddressTemplate(prefix, suffix, domain);
  }

  private static String count(String local) {
    int n = local.split(Pattern.quote(PLACEHOLDER), -1).length - 1;
    return n == 0 ? "no {token}" : n + " {token}";
  }

  /** The address for a token; the token must be lowercase base32 of 16 to 64 characters. */
  public String format(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("a token must be 16 to 64 characters of [a-z2-7]");
    }
    return prefix + token + suffix + "@" + domain;
  }

  /**
   * The token of an addr-spec this template produced, lowercased; empty when the address is not one
   * of the template's, or its token is not well formed. The local part's prefix and suffix and the
   * domain compare case-insensitively: mail servers and clients may change their case.
   */
  public Optional<String> tokenOf(String address) {
    return candidate(address).filter(t -> TOKEN.matcher(t).matches());
  }

  /** Whether an address has the template's shape, whatever its token looks like. */
  boolean shapeMatches(String address) {
    return candidate(address).isPresent();
  }

  private Optional<String> candidate(String address) {
    if (address == null) {
      return Optional.empty();
    }
    int at = address.lastIndexOf('@');
    if (at < 0 || !address.substring(at + 1).equalsIgnoreCase(domain)) {
      return Optional.empty();
    }
    String local = address.substring(0, at);
    if (local.length() < prefix.length() + suffix.length()
        || !local.regionMatches(true, 0, prefix, 0, prefix.length())
        || !local.regionMatches(
            true, local.length() - suffix.length(), suffix, 0, suffix.length())) {
      return Optional.empty();
    }
    String token = local.substring(prefix.length(), local.length() - suffix.length());
    return Optional.of(token.toLowerCase(Locale.ROOT));
  }

  /** A token fit for a log line: its first four characters. */
  public static String redact(String token) {
    if (token == null) {
      return "null";
    }
    return token.length() <= 4 ? "…" : token.substring(0, 4) + "…";
  }

  @Override
  public String toString() {
    return prefix + PLACEHOLDER + suffix + "@" + domain;
  }
}
