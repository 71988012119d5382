package io.alertbridge.policy;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * An event older than {@code policy.max-event-age}, on its way from the grouping step to its
 * route's backlog summary (keyed by route, so one route has one summary however its groups spread).
 */
@JsonTypeName("stale")
record StaleEvent(String route, AlertSnapshot event, Pending origin) implements MailRequest {}
