package io.alertbridge.inbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code Authentication-Results} header field (RFC 8601 §2.2): the authserv-id of the server
 * that checked, and its results, such as {@code dmarc=pass header.from=plant.example}.
 *
 * @param authservId as written (compare case-insensitively: it is usually a host name)
 * @param results in header order; empty for {@code ; none}
 */
public record AuthenticationResults(String authservId, List<Result> results) {
  public AuthenticationResults {
    results = List.copyOf(results);
  }

  /**
   * One method's result.
   *
   * @param method lowercase, without its version ({@code dkim}, {@code dmarc}, {@code spf})
   * @param result lowercase ({@code pass}, {@code fail}, {@code none}, ...)
   * @param reason the {@code reason=} value, or null
   * @param properties {@code ptype.property} (lowercase) to its value, such as {@code header.d}
   */
  public record Result(
      String method, String result, String reason, Map<String, String> properties) {
    public Result {
      properties = Map.copyOf(properties);
    }

    public Optional<String> property(String name) {
      return Optional.ofNullable(properties.get(name.toLowerCase(Locale.ROOT)));
    }
  }

  /**
   * Parses a header field's value (without {@code Authentication-Results:}). Comments and folding
   * whitespace are skipped. Empty when the value does not follow the grammar: a result that cannot
   * be read is no evidence of anything, so callers treat it as absent.
   */
  public static Optional<AuthenticationResults> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Reader(value).payload());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A recursive-descent reader over the grammar of RFC 8601 §2.2 and RFC 5322 CFWS. */
  private static final class Reader {
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    AuthenticationResults payload() {
      cfws();
      String id = value();
      cfws();
      if (i < s.length() && Character.isDigit(s.charAt(i))) {
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++; // authres-version: only version 1 exists; nothing depends on it
        }
        cfws();
      }
      List<Result> results = new ArrayList<>();
      while (true) {
        cfws();
        if (i >= s.length()) {
          break;
        }
        expect(';');
        cfws();
        if (i >= s.length()) {
          break; // a trailing ";" is common enough to forgive
        }
        String method = keyword();
        cfws();
        if (method.equals("none") && (i >= s.length() || s.charAt(i) != '=')) {
          continue; // no-result: "; none"
        }
        results.add(resinfo(method));
      }
      return new AuthenticationResults(id, results);
    }

    private Result resinfo(String method) {
      if (peek('/')) {
        i++;
        cfws();
        keyword(); // method-version
        cfws();
      }
      expect('=');
      cfws();
      String result = keyword();
      String reason = null;
      Map<String, String> props = new LinkedHashMap<>();
      while (true) {
        cfws();
        if (i >= s.length() || peek(';')) {
          break;
        }
        String word = keyword();
        cfws();
        if (word.equals("reason") && peek('=')) {
          i++;
          cfws();
          reason = value();
          continue;
        }
        if (peek('=')) {
          i++; // "action=none" (Exchange Online): not in the grammar, and of no use here
          cfws();
          pvalue();
          continue;
        }
        expect('.');
        cfws();
        String property = keyword();
        cfws();
        expect('=');
        cfws();
        props.putIfAbsent(word + "." + property, pvalue());
      }
      return new Result(method, result, reason, props);
    }

    /** Skips whitespace and (nested, escaped) comments. */
    private void cfws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '(') {
          comment();
        } else {
          return;
        }
      }
    }

    private void comment() {
      int depth = 0;
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '\\') {
          i++;
        } else if (c == '(') {
          depth++;
        } else if (c == ')' && --depth == 0) {
          return;
        }
      }
      throw new IllegalArgumentException("unterminated comment");
    }

    /** A Keyword (RFC 8601): letters, digits, hyphen, underscore; lowercased. */
    private String keyword() {
      int start = i;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
          i++;
        } else {
          break;
        }
      }
      if (start == i) {
        throw new IllegalArgumentException("expected a keyword at " + start);
      }
      return s.substring(start, i).toLowerCase(Locale.ROOT);
    }

    /** A value: a quoted-string or a token (RFC 2045), as written. */
    private String value() {
      if (peek('"')) {
        return quoted();
      }
      return run("()<>@,;:\\\"/[]?=");
    }

    /** A pvalue: a quoted string, or an address, domain or any token up to CFWS or ";". */
    private String pvalue() {
      if (peek('"')) {
        return quoted();
      }
      return run("();\"");
    }

    private String run(String stops) {
      int start = i;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c <= ' ' || c == 0x7f || stops.indexOf(c) >= 0) {
          break;
        }
        i++;
      }
      if (start == i) {
        throw new IllegalArgumentException("expected a value at " + start);
      }
      return s.substring(start, i);
    }

    private String quoted() {
      StringBuilder b = new StringBuilder();
      i++;
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') {
          return b.toString();
        }
        if (c == '\\' && i < s.length()) {
          c = s.charAt(i++);
        }
        b.append(c);
      }
      throw new IllegalArgumentException("unterminated quoted string");
    }

    private boolean peek(char c) {
      return i < s.length() && s.charAt(i) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw new IllegalArgumentException("expected '" + c + "' at " + i);
      }
      i++;
    }
  }
}
