package io.alertbridge.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What is remembered of an alert that resolved and left its group, for {@code dedup-window}: its
 * last event time and event ids.
 */
final class ClosedAlert {
  /** Group key, '|', fingerprint. */
  String key;

  long time;
  List<String> recent = new ArrayList<>();

  /** When it is forgotten. */
  long until;
}
