package io.alertbridge.policy;

import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.Matcher;
import java.util.Map;

/**
 * A reading's fields as matchers see them, read straight from the snapshot: inhibition rules and
 * silences are asked about every firing reading, and building a map for each cost the policy a
 * tenth of its events per second (OperatorsBenchmark). The map is built only for the silence index,
 * which walks every field.
 */
final class SnapshotFields implements AlertFields {
  private final AlertSnapshot s;
  private Map<String, String> all;

  SnapshotFields(AlertSnapshot s) {
    this.s = s;
  }

  @Override
  public String get(String name) {
    String v =
        switch (name) {
          case Matcher.SOURCE -> s.source();
          case Matcher.TYPE -> s.type();
          case Matcher.SEVERITY -> s.severity();
          default ->
              name.startsWith(Matcher.LABELS)
                  ? s.labels().get(name.substring(Matcher.LABELS.length()))
                  : null;
        };
    return v == null ? "" : v;
  }

  @Override
  public Map<String, String> all() {
    if (all == null) {
      all = AlertFields.of(s.source(), s.type(), s.severity(), s.labels()).all();
    }
    return all;
  }
}
