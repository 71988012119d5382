package io.alertbridge.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The storm guard for one recipient: how many mails the current window has carried, and what is
 * folded into the digest that closes it.
 */
final class RecipientState {
  String address;
  long windowStart;
  int mails;

  /** Digests sent to this recipient so far; part of each digest's Message-ID. */
  long digests;

  /** Folded notifications by group key: the latest alerts of each group. */
  Map<String, DigestEntry> folded = new LinkedHashMap<>();

  /** When the digest is due (the window's end); 0 when nothing is folded. */
  long due;

  /**
   * The store key this state was read under when it predates case-insensitive keys (the exact
   * address); it moves to the lower-case key when written. Not stored.
   */
  transient String legacyKey;

  static final class DigestEntry {
    String route;
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, Notification.Alert> alerts = new LinkedHashMap<>();

    /** Alerts of the group beyond those listed (a group mail lists 500): counted, not listed. */
    long unlisted;
  }
}
