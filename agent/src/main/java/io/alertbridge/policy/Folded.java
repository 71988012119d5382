package io.alertbridge.policy;

/**
 * What a digest keeps of one folded alert ({@code alert} set) or one folded group ({@code total}:
 * its alerts in its latest mail): entries of their own, so folding a mail writes what it folds,
 * never the whole digest (issue 16).
 */
record Folded(int v, Notification.Alert alert, long total) implements StateValue {
  static final int VERSION = 1;

  Folded {
    StateValue.check(v == VERSION, "folded entry version " + v + ", expected " + VERSION);
    StateValue.check(total >= 0, "folded group total below 0");
  }
}
