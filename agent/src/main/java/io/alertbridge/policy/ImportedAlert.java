package io.alertbridge.policy;

import java.util.Map;

/**
 * One alert of a group kept by a release before issue 16, on its way from {@link LegacyState} into
 * the new stores: a record on {@code STATE-events} (header {@code alertbridge-record: import})
 * keyed by its group, so the task that owns the group takes it in ({@link Imports}).
 *
 * @param threadRoot the Message-ID of the incident's first mail, which later mails answer
 */
record ImportedAlert(
    int v,
    String route,
    String group,
    Map<String, String> labels,
    long incident,
    long seq,
    String threadRoot,
    long lastSent,
    String fingerprint,
    AlertEntry alert)
    implements StateValue {
  static final int VERSION = 1;

  ImportedAlert {
    StateValue.check(v == VERSION, "imported alert version " + v + ", expected " + VERSION);
    StateValue.check(
        route != null && group != null && fingerprint != null && alert != null,
        "imported alert without route, group, fingerprint or alert");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
