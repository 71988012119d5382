package io.alertbridge.config;

import java.time.Duration;

/**
 * The notification policy shared by all routes (docs/policy.md).
 *
 * @param enabled false mails every record at once, without grouping or state (the behaviour before
 *     the policy existed)
 * @param maxEventAge events older than this when consumed are summarised, not mailed one by one
 * @param dedupWindow how long a resolved alert's last event ids and time are remembered, so a
 *     replayed or retried event of it is not mailed again
 * @param maxMailsPerRecipient the most mails one recipient gets per window; more are folded into
 *     one digest at the window's end. Null: no limit
 * @param stateTopic the Kafka Streams application id of the policy stage: its changelog,
 *     repartition and notification topics all begin with it
 * @param commitInterval how often the policy stage commits its exactly-once transaction; a mail's
 *     notification becomes visible to delivery only then, twice on its way (routing, grouping).
 *     Shorter is sooner under light load and costs throughput under heavy load
 *     (docs/performance.md)
 * @param maxClockSkew an event time further ahead of this clock than this is not trusted: the event
 *     is taken as read now, so a producer with a wrong clock cannot hold back its alert's later
 *     readings (docs/policy.md)
 * @param replicationFactor of the topics the policy stage creates (its events, notifications,
 *     changelog and repartition topics). Null: the widest alert topic's, so a cluster that
 *     replicates its alerts also replicates the policy's pending work and state
 * @param minInsyncReplicas their {@code min.insync.replicas}. Null: the largest of the alert
 *     topics', capped at the replication factor
 */
public record PolicySettings(
    Boolean enabled,
    Duration maxEventAge,
    Duration dedupWindow,
    Rate maxMailsPerRecipient,
    String stateTopic,
    Duration commitInterval,
    Duration maxClockSkew,
    Integer replicationFactor,
    Integer minInsyncReplicas) {
  public PolicySettings {
    enabled = enabled == null || enabled;
    maxEventAge = maxEventAge == null ? Duration.ofHours(1) : maxEventAge;
    dedupWindow = dedupWindow == null ? Duration.ofHours(24) : dedupWindow;
    commitInterval = commitInterval == null ? Duration.ofMillis(100) : commitInterval;
    maxClockSkew = maxClockSkew == null ? Duration.ofMinutes(5) : maxClockSkew;
  }

  /** Defaults, with the state topic named after the consumer group. */
  public static PolicySettings defaults() {
    return new PolicySettings(null, null, null, null, null, null, null, null, null);
  }

  /** The state topic, or {@code <group-id>.state} when not configured. */
  public String stateTopicFor(String groupId) {
    return stateTopic == null || stateTopic.isBlank() ? groupId + ".state" : stateTopic;
  }
}
