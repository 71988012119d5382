package io.alertbridge.daemon;

import io.alertbridge.audit.AuditLog;
import io.alertbridge.kafka.AlertConsumer;
import io.alertbridge.kafka.KafkaDeadLetterSink;
import io.alertbridge.metrics.Metrics;
import io.alertbridge.policy.PolicySwitch;
import io.alertbridge.smtp.pool.SmtpPool;
import io.alertbridge.web.Tokens;
import io.alertbridge.web.WebServer;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What {@link DaemonWiring} built for one configuration and {@link Daemon} runs and closes: every
 * thread and client the daemon owns, and nothing it merely passed on to them.
 *
 * @param web the bound, not yet serving, HTTP endpoint; empty when {@code http} asks for none
 * @param policyRun the policy stage, when {@code policy.enabled}; the consumer then reads its
 *     notifications
 * @param live what a reload replaces
 * @param operators silences and watched alerts, with the policy on
 * @param tokens who may write over HTTP, when {@code http.auth} is set
 * @param answers replies, links and bounces (issue 18), when configured
 */
record DaemonParts(
    Optional<WebServer> web,
    Metrics metrics,
    AuditLog audit,
    ExecutorService workers,
    ScheduledExecutorService scheduler,
    SmtpPool smtp,
    KafkaDeadLetterSink deadLetters,
    PolicySwitch policySwitch,
    Optional<PolicyRun> policyRun,
    AlertConsumer consumer,
    StatusSource status,
    LiveConfig live,
    Optional<Operators> operators,
    Optional<Tokens> tokens,
    Optional<Answers> answers) {}
