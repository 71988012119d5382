package io.alertbridge.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stale events of one route, summarised in one mail instead of mailed one by one: how many, from
 * when to when, and which alerts they leave firing.
 */
final class BacklogState {
  /** At most this many alerts are listed; the rest are counted. */
  static final int MAX_LISTED = 200;

  String route;

  /** Summaries sent for this route so far; part of each summary's Message-ID. */
  long summaries;

  long count;
  long from;
  long to;

  /** Alerts by fingerprint, their latest stale reading. */
  Map<String, AlertSnapshot> alerts = new LinkedHashMap<>();

  /** Alerts seen beyond {@link #MAX_LISTED}. */
  long unlisted;

  /** When the summary is sent: a while after the last stale event. 0 when nothing is pending. */
  long due;

  /** When the first stale event of the pending summary came (processing time); 0 if none. */
  long pendingSince;

  /** When the last summary was emitted; 0 before the first. */
  long lastSent;
}
