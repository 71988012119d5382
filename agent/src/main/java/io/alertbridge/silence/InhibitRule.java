package io.alertbridge.silence;

import java.util.List;

/**
 * A compiled inhibition rule: while an alert matching {@code source} fires, alerts matching {@code
 * target} with the same values of the {@code equal} fields are not mailed. An alert never inhibits
 * itself.
 */
public record InhibitRule(List<Matcher> source, List<Matcher> target, List<String> equal) {
  public InhibitRule {
    source = List.copyOf(source);
    target = List.copyOf(target);
    equal = List.copyOf(equal);
  }

  /** Compiles a rule whose matchers the configuration's validation accepted. */
  public static InhibitRule parse(List<String> source, List<String> target, List<String> equal) {
    return new InhibitRule(
        source.stream().map(Matcher::parse).toList(),
        target.stream().map(Matcher::parse).toList(),
        equal);
  }

  public boolean sourceMatches(AlertFields a) {
    return all(source, a);
  }

  public boolean targetMatches(AlertFields a) {
    return all(target, a);
  }

  /** The values of the {@code equal} fields, joined: two alerts agree when these are equal. */
  public String equalKey(AlertFields a) {
    StringBuilder sb = new StringBuilder();
    for (String name : equal) {
      sb.append(a.get(name)).append('\u0000');
    }
    return sb.toString();
  }

  private static boolean all(List<Matcher> ms, AlertFields a) {
    for (Matcher m : ms) {
      if (!m.matches(a)) {
        return false;
      }
    }
    return true;
  }
}
