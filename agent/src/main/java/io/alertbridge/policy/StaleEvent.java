package io.alertbridge.policy;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * An event older than {@code policy.max-event-age}, on its way from the grouping step to its
 * route's backlog summary (keyed by route, so one route has one summary however its groups spread).
 *
 * @param heldReason {@code silenced} or {@code inhibited} when the grouping step held its alert
 *     back: the summary must not list it, since the step did not count it as told (issue 17); null
 *     otherwise, and in records of earlier versions
 * @param heldCause the silence's id or the inhibiting alert's fingerprint
 */
@JsonTypeName("stale")
record StaleEvent(
    String route, AlertSnapshot event, Pending origin, String heldReason, String heldCause)
    implements MailRequest {
  StaleEvent(String route, AlertSnapshot event, Pending origin) {
    this(route, event, origin, null, null);
  }
}
