package io.alertbridge.silence;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Objects;

/**
 * One condition on an alert field: {@code name=value}, {@code name!=value}, {@code name=~regex} or
 * {@code name!~regex}, with the names {@code group-by} uses. The same syntax serves silences,
 * inhibition rules and the CLI. Regular expressions are anchored at both ends and run by RE2/J, in
 * time linear in the input, because silences come from the network.
 */
public final class Matcher {
  public static final String SOURCE = "source";
  public static final String TYPE = "type";
  public static final String SEVERITY = "severity";
  public static final String LABELS = "labels.";

  /** Longest value or expression accepted: far beyond any real label, far below a record. */
  public static final int MAX_VALUE_LENGTH = 1024;

  /** Longest regular expression accepted. */
  public static final int MAX_REGEX_LENGTH = 256;

  /**
   * The most the counted repetitions of one expression may multiply to ({@code (a{10}){10}} is
   * 100). RE2/J matches in time linear in the input, but its compiled program grows with these
   * products: {@code ((a*){1000}){1000}} overflows the stack when matched, {@code
   * (((a{100}){100}){100}){100}} exhausts the heap when compiled (review of issue 17).
   */
  public static final int MAX_REPEAT_PRODUCT = 1000;

  /** The four operators, as written. */
  public enum Op {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String text;

    Op(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    public boolean regex() {
      return this == REGEX || this == NOT_REGEX;
    }

    public boolean equal() {
      return this == EQUAL || this == REGEX;
    }
  }

  private final String name;
  private final Op op;
  private final String value;
  private final Pattern pattern;

  /**
   * What every value the expression matches starts with ({@code "maintenance/"} of {@code
   * maintenance/.*}), or "": a value without it is decided without running the expression, which a
   * storm of new alerts asks of every silence made of expressions alone (OperatorsBenchmark).
   */
  private final String prefix;

  private Matcher(String name, Op op, String value) {
    this.name = name;
    this.op = op;
    this.value = value;
    Pattern p = null;
    if (op.regex()) {
      String shown = "matcher " + name + op.text() + quote(value);
      checkSize(shown, value);
      try {
        p = Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
        // Once here, so that a pattern RE2/J cannot run fails now rather than on an alert.
        p.matches("");
      } catch (PatternSyntaxException e) {
        throw new MatcherException(
            shown + ": not a valid regular expression (" + e.getDescription() + ")");
      } catch (StackOverflowError | OutOfMemoryError e) {
        throw new MatcherException(shown + ": a regular expression too complex to run");
      }
    }
    this.pattern = p;
    this.prefix = op.regex() ? literalPrefix(value) : "";
  }

  /** The literal start of an expression without alternatives; "" when there is none to trust. */
  static String literalPrefix(String regex) {
    if (regex.indexOf('|') >= 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if ("\\.[]{}()*+?^$".indexOf(c) >= 0) {
        // A quantifier after a letter makes that letter optional or repeated: not part of it.
        if ("*+?{".indexOf(c) >= 0 && sb.length() > 0) {
          sb.setLength(sb.length() - 1);
        }
        break;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * Refuses a regular expression whose compiled form could be huge, before compiling it: too long,
   * or counted repetitions ({@code {n}}, {@code {n,}}, {@code {n,m}}) whose bounds multiply past
   * {@link #MAX_REPEAT_PRODUCT}. The product is over the whole expression, nested or not: a
   * conservative bound that no real silence comes near.
   */
  private static void checkSize(String shown, String regex) {
    if (regex.length() > MAX_REGEX_LENGTH) {
      throw new MatcherException(
          shown + ": a regular expression longer than " + MAX_REGEX_LENGTH + " characters");
    }
    long product = 1;
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      } else if (c == '{' && !inClass) {
        int close = regex.indexOf('}', i);
        String body = close < 0 ? "" : regex.substring(i + 1, close);
        if (body.matches("\\d+(,\\d*)?")) {
          String[] bounds = body.split(",", -1);
          String max = bounds.length > 1 && !bounds[1].isEmpty() ? bounds[1] : bounds[0];
          long n = max.length() > 6 ? Long.MAX_VALUE / 2 : Math.max(1, Long.parseLong(max));
          product = Math.min(Long.MAX_VALUE / 2, product * n);
          if (product > MAX_REPEAT_PRODUCT) {
            throw new MatcherException(
                shown
                    + ": counted repetitions multiply to more than "
                    + MAX_REPEAT_PRODUCT
                    + "; simplify the regular expression");
          }
          i = close;
        }
      }
    }
  }

  /**
   * A matcher of a field; {@code name} must be {@code source}, {@code type}, {@code severity} or
   * {@code labels.NAME}.
   *
   * @throws MatcherException naming the matcher and the rule it breaks
   */
  public static Matcher of(String name, Op op, String value) {
    Objects.requireNonNull(op, "op");
    String shown = name + op.text() + quote(value == null ? "" : value);
    if (name == null || !validName(name)) {
      throw new MatcherException(
          "matcher " + shown + ": unknown name; use source, type, severity or labels.NAME");
    }
    if (value == null) {
      value = "";
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      throw new MatcherException(
          "matcher "
              + name
              + op.text()
              + "…: value longer than "
              + MAX_VALUE_LENGTH
              + " characters");
    }
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new MatcherException("matcher " + name + op.text() + "…: value contains a line break");
    }
    return new Matcher(name, op, value);
  }

  /**
   * Parses {@code name OP value}, the value bare or in double quotes with {@code \"} and {@code \\}
   * escapes ({@code labels.sensor="T3"}, {@code severity=~"critical|major"}).
   */
  public static Matcher parse(String text) {
    if (text == null || text.isBlank()) {
      throw new MatcherException("matcher \"\": empty; write NAME=VALUE, e.g. labels.sensor=T3");
    }
    String t = text.strip();
    int i = 0;
    while (i < t.length() && "=!~".indexOf(t.charAt(i)) < 0) {
      i++;
    }
    String name = t.substring(0, i).strip();
    String rest = t.substring(i);
    Op op = null;
    for (Op o : new Op[] {Op.NOT_REGEX, Op.REGEX, Op.NOT_EQUAL, Op.EQUAL}) {
      if (rest.startsWith(o.text())) {
        op = o;
        break;
      }
    }
    if (op == null || name.isEmpty()) {
      throw new MatcherException(
          "matcher " + quote(t) + ": not NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX");
    }
    return of(name, op, unquote(t, rest.substring(op.text().length()).strip()));
  }

  private static String unquote(String text, String v) {
    if (!v.startsWith("\"")) {
      return v;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length()) {
        out.append(v.charAt(++i));
      } else if (c == '"') {
        if (i != v.length() - 1) {
          throw new MatcherException("matcher " + quote(text) + ": text after the closing quote");
        }
        return out.toString();
      } else {
        out.append(c);
      }
    }
    throw new MatcherException("matcher " + quote(text) + ": no closing quote");
  }

  /** Whether {@code name} is a field a matcher can test. */
  public static boolean validName(String name) {
    if (name.equals(SOURCE) || name.equals(TYPE) || name.equals(SEVERITY)) {
      return true;
    }
    if (!name.startsWith(LABELS) || name.length() == LABELS.length()) {
      return false;
    }
    for (int i = LABELS.length(); i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  public boolean matches(AlertFields alert) {
    return matchesValue(alert.get(name));
  }

  /** Whether a field with this value matches; an absent field is {@code ""}. */
  public boolean matchesValue(String v) {
    String s = v == null ? "" : v;
    return switch (op) {
      case EQUAL -> value.equals(s);
      case NOT_EQUAL -> !value.equals(s);
      case REGEX -> s.startsWith(prefix) && pattern.matches(s);
      case NOT_REGEX -> !(s.startsWith(prefix) && pattern.matches(s));
    };
  }

  /** Whether it matches an alert that lacks the field: such a matcher narrows nothing alone. */
  public boolean matchesEmpty() {
    return matchesValue("");
  }

  public String name() {
    return name;
  }

  public Op op() {
    return op;
  }

  public String value() {
    return value;
  }

  /** The form {@link #parse} reads, quoted so that a shell or amtool takes it whole. */
  @Override
  public String toString() {
    return name + op.text() + quote(value);
  }

  static String quote(String v) {
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.name.equals(name) && m.op == op && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, op, value);
  }
}
