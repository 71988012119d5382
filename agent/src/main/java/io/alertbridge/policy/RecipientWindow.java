package io.alertbridge.policy;

/**
 * The storm guard's state for one recipient: its window's mails and counts of what was folded into
 * the digest that closes it. Fixed in size: the folded alerts and groups are entries of their own
 * ({@link Folded}), at most {@link StormGuard#MAX_KEPT_ALERTS} and {@link
 * StormGuard#MAX_KEPT_GROUPS}; beyond them the digest counts.
 *
 * @param due when the digest is due (the window's end); 0 when nothing is folded
 * @param kept folded alerts kept (listed when the digest is built), by severity rank 0..2
 * @param groups folded groups kept
 * @param alerts the kept groups' alerts (their totals in their latest mail)
 * @param overflowGroups group mails folded beyond the kept groups, and {@code overflowAlerts} their
 *     alerts: counted, possibly twice for one group folded twice
 */
record RecipientWindow(
    int v,
    String address,
    long windowStart,
    int mails,
    long due,
    int[] kept,
    long groups,
    long alerts,
    long overflowGroups,
    long overflowAlerts)
    implements StateValue {
  static final int VERSION = 1;

  RecipientWindow {
    StateValue.check(v == VERSION, "recipient window version " + v + ", expected " + VERSION);
    StateValue.check(address != null, "recipient window without address");
    kept = kept == null ? new int[3] : kept.clone();
    StateValue.check(kept.length == 3, "recipient window kept counts");
  }

  static RecipientWindow empty(String address) {
    return new RecipientWindow(VERSION, address, 0, 0, 0, new int[3], 0, 0, 0, 0);
  }

  int keptTotal() {
    return kept[0] + kept[1] + kept[2];
  }

  boolean folding() {
    return keptTotal() > 0 || groups > 0 || overflowGroups > 0;
  }

  long totalAlerts() {
    return alerts + overflowAlerts;
  }

  long totalGroups() {
    return groups + overflowGroups;
  }

  RecipientWindow withWindow(long start, int mails) {
    return new RecipientWindow(
        v, address, start, mails, due, kept, groups, alerts, overflowGroups, overflowAlerts);
  }

  RecipientWindow withDue(long at) {
    return new RecipientWindow(
        v, address, windowStart, mails, at, kept, groups, alerts, overflowGroups, overflowAlerts);
  }

  RecipientWindow withKept(int rank, int delta) {
    int[] k = kept.clone();
    k[rank] += delta;
    return new RecipientWindow(
        v, address, windowStart, mails, due, k, groups, alerts, overflowGroups, overflowAlerts);
  }

  RecipientWindow withGroups(long groups, long alerts, long overflowGroups, long overflowAlerts) {
    return new RecipientWindow(
        v, address, windowStart, mails, due, kept, groups, alerts, overflowGroups, overflowAlerts);
  }

  /** After the digest: nothing folded, the next window starting {@code now}. */
  RecipientWindow cleared(long now) {
    return new RecipientWindow(v, address, now, 0, 0, new int[3], 0, 0, 0, 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecipientWindow r
        && r.v == v
        && r.address.equals(address)
        && r.windowStart == windowStart
        && r.mails == mails
        && r.due == due
        && java.util.Arrays.equals(r.kept, kept)
        && r.groups == groups
        && r.alerts == alerts
        && r.overflowGroups == overflowGroups
        && r.overflowAlerts == overflowAlerts;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(address, windowStart, mails, due, groups, alerts);
  }

  @Override
  public String toString() {
    return "RecipientWindow[" + address + ", start " + windowStart + ", mails " + mails + "]";
  }
}
