package io.alertbridge.policy;

import java.time.Instant;

/**
 * Takes in the alerts of groups a release before issue 16 kept ({@link ImportedAlert}), so an
 * upgrade keeps its open incidents: the recipients were told what these alerts' states are, and the
 * resolution of one must reach the thread that announced it. An import is idempotent: an alert the
 * group holds already (an import repeated after a stop mid-upgrade) is left as it is.
 */
final class Imports {
  private final PolicyTopology.Wiring w;
  private final GroupStore groups;
  private final GroupMails mails;
  private final PolicyAuditor auditor;

  Imports(PolicyTopology.Wiring w, GroupStore groups, GroupMails mails, PolicyAuditor auditor) {
    this.w = w;
    this.groups = groups;
    this.mails = mails;
    this.auditor = auditor;
  }

  void apply(ImportedAlert i, long now) {
    RoutePolicy route = w.routes().get(i.route());
    AlertEntry a = i.alert();
    String reason =
        route == null
            ? PolicyAudit.ROUTE_REMOVED
            : Fingerprints.groupKey(route.name(), route.groupBy(), a.latest()).equals(i.group())
                ? null
                : PolicyAudit.REGROUPED;
    if (reason != null) {
      // Upgraded and reconfigured at once: closed as Reconfigured closes a group at start.
      Pending p = a.pending() != null ? a.pending() : new Pending(a.latest().id(), null, -1, -1);
      auditor.append(
          PolicyAudit.suppressed(Instant.ofEpochMilli(now), p, i.route(), i.group(), null, reason));
      return;
    }
    GroupHead g = groups.head(i.group());
    if (g == null) {
      g =
          new GroupHead(
              GroupHead.VERSION,
              i.group(),
              route.name(),
              route.groupBy(),
              i.labels(),
              i.incident(),
              i.seq(),
              i.lastSent(),
              0,
              0,
              0,
              0,
              0,
              i.threadRoot());
    }
    if (groups.alert(i.group(), i.fingerprint()) != null) {
      return;
    }
    g = groups.putAlert(g, i.fingerprint(), null, a);
    if (g.hasChanges()) {
      g = mails.scheduleChange(g, route);
    } else if (g.hasFiring() && g.lastSent() > 0 && g.due() == 0) {
      g = groups.setDue(g, g.lastSent() + route.repeatInterval().toMillis());
    }
    if (a.firing()) {
      g = groups.armExpiry(g, route, now);
    }
    groups.save(g);
  }
}
