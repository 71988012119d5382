package io.alertbridge.config;

import java.util.List;

/**
 * An inhibition rule with Alertmanager's meaning: while an alert matching every {@code source}
 * matcher fires, alerts matching every {@code target} matcher whose {@code equal} fields have the
 * same values are not mailed (docs/policy.md, "Inhibition").
 *
 * @param source matchers ({@code labels.alarm="plc-comms-lost"}) of the alert that inhibits
 * @param target matchers of the alerts it inhibits
 * @param equal fields ({@code source}, {@code labels.site}, …) that must be equal in both; an
 *     absent field equals an absent one, as in Alertmanager
 */
public record InhibitSettings(List<String> source, List<String> target, List<String> equal) {
  public InhibitSettings {
    source = Copies.list(source);
    target = Copies.list(target);
    equal = Copies.list(equal);
  }
}
