package io.alertbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer tokens that may write over HTTP ({@code http.auth.tokens-file}: lines {@code
 * name:token}), each naming its holder, who is recorded as the author of what it writes.
 *
 * <p>Tokens are secrets: they are kept only as SHA-256 hashes, never logged, never put in an
 * exception, and compared in constant time against every known token, so neither a match's position
 * nor a common prefix shows in the response time.
 */
public final class Tokens {
  private static final String BEARER = "bearer ";

  private record Holder(String name, byte[] hash) {}

  private volatile List<Holder> holders;

  private Tokens(List<Holder> holders) {
    this.holders = List.copyOf(holders);
  }

  /**
   * Reads a tokens file: {@code name:token} per line; blank lines and lines starting with {@code #}
   * are ignored.
   *
   * @throws IOException when it cannot be read, or a line is malformed; the message names the file
   *     and the line number, never the line
   */
  public static Tokens load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Holder> holders = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String where = file + " line " + (i + 1) + ": ";
      if (colon <= 0 || colon == line.length() - 1) {
        throw new IOException(where + "not name:token (a name, a colon, a token)");
      }
      String name = line.substring(0, colon).strip();
      String token = line.substring(colon + 1).strip();
      if (name.isEmpty() || token.isEmpty() || !name.chars().allMatch(Tokens::nameChar)) {
        throw new IOException(where + "a name is letters, digits, '.', '_', '-' or '@'");
      }
      Integer before = names.putIfAbsent(name, i + 1);
      if (before != null) {
        throw new IOException(where + "the name " + name + " is already used on line " + before);
      }
      holders.add(new Holder(name, sha256(token)));
    }
    return new Tokens(holders);
  }

  /** Tokens given directly, by holder name: tests and embedding. */
  public static Tokens of(Map<String, String> tokenByName) {
    List<Holder> holders = new ArrayList<>();
    tokenByName.forEach((name, token) -> holders.add(new Holder(name, sha256(token))));
    return new Tokens(holders);
  }

  /**
   * Takes the other set's tokens, for a reload: requests after this call see only them. The other
   * set is read whole first, so a broken file leaves the current tokens in force.
   */
  public void replaceWith(Tokens fresh) {
    this.holders = fresh.holders;
  }

  public int size() {
    return holders.size();
  }

  /**
   * The holder of the token in an {@code Authorization: Bearer TOKEN} header; empty when the header
   * is absent, not a bearer token, or no token matches.
   */
  public Optional<String> author(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return holderOf(authorization.substring(BEARER.length()).strip());
  }

  /** The holder of a token given as it is (the status page's form field). */
  public Optional<String> holderOf(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    // Hashing first gives every comparison the same length, and the loop never stops early.
    byte[] hash = sha256(token);
    String found = null;
    for (Holder h : holders) {
      if (MessageDigest.isEqual(hash, h.hash()) && found == null) {
        found = h.name();
      }
    }
    return Optional.ofNullable(found);
  }

  private static boolean nameChar(int c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '@';
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Names the holders, never a token. */
  @Override
  public String toString() {
    return "Tokens" + holders.stream().map(Holder::name).toList();
  }
}
