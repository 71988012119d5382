package io.alertbridge.daemon;

import io.alertbridge.config.KafkaSettings;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.policy.LiveRules;
import java.util.Optional;

/**
 * What the delivery stage reads and how it turns a record into mail: the alert topics with the
 * direct planner, or the policy's notifications with the notification planner.
 *
 * @param delivered the Kafka settings of the delivery consumer, its topics included
 * @param policyRun the policy stage that writes {@code delivered}'s topic, if there is one
 * @param rules the policy's rules, which a reload replaces; empty on the direct path
 * @param replanner builds {@code planner} again for a reloaded configuration
 */
record DeliveryInput(
    MailPlanner planner,
    KafkaSettings delivered,
    Optional<PolicyRun> policyRun,
    Optional<LiveRules> rules,
    Replanner replanner) {}
