package io.alertbridge.policy;

/**
 * A value the policy keeps in a state store: a record with a schema version, checked in its
 * constructor, so a value of another version or shape is refused when read instead of turning into
 * a half-filled object (issue 16). {@link TypedStore} reports and drops a value it cannot read.
 */
interface StateValue {
  /** The schema version the value was written with. */
  int v();

  /** Throws {@link IllegalArgumentException} naming the field when {@code ok} is false. */
  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalArgumentException("invalid state value: " + what);
    }
  }
}
