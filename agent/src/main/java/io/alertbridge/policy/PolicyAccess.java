package io.alertbridge.policy;

import io.alertbridge.config.ConfigProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Checks, before the policy stage starts, that alertbridge's Kafka principal may do what the stage
 * needs: create (or else read and write) its topics, read its consumer group, and use transactional
 * ids prefixed with the application id (Kafka Streams' exactly-once producers). Without this, a
 * missing ACL showed as a start retried every 5 s for ever, or as a stream thread dying at its
 * first commit; now it is a configuration error naming what is missing (exit 2).
 */
public final class PolicyAccess {
  private static final String KEY = "policy.state-topic";

  private PolicyAccess() {}

  /** The topics the policy stage or Kafka Streams creates for application id {@code appId}. */
  public static List<String> topics(String appId) {
    List<String> t =
        new ArrayList<>(
            List.of(
                appId + "-events",
                appId + "-mails",
                appId + "-notifications",
                appId + "-crashes",
                appId + "-responses"));
    PolicyTopology.STORES.forEach(s -> t.add(appId + "-" + s + "-changelog"));
    return t;
  }

  /**
   * The problems found; empty when the stage may run.
   *
   * @param transactional a producer with {@code transactional.id} set to {@link
   *     #transactionalId(String)}; closed here
   * @throws TimeoutException when the broker did not answer: no verdict either way
   */
  public static List<ConfigProblem> check(
      Admin admin,
      Supplier<Producer<byte[], byte[]>> transactional,
      String appId,
      PolicyTopics.Layout layout,
      Duration timeout)
      throws TimeoutException, InterruptedException {
    List<ConfigProblem> problems = new ArrayList<>();
    topicsProblems(admin, appId, layout, timeout).ifPresent(problems::add);
    groupProblem(admin, appId, timeout).ifPresent(problems::add);
    transactionalIdProblem(transactional, appId).ifPresent(problems::add);
    return problems;
  }

  /** A transactional id inside the stage's prefix that no stream thread ever uses. */
  public static String transactionalId(String appId) {
    return appId + "-alertbridge-access-check";
  }

  private static Optional<ConfigProblem> topicsProblems(
      Admin admin, String appId, PolicyTopics.Layout layout, Duration timeout)
      throws TimeoutException, InterruptedException {
    List<NewTopic> wanted = new ArrayList<>();
    topics(appId)
        .forEach(
            t ->
                wanted.add(
                    new NewTopic(
                        t,
                        Optional.of(layout.partitions()),
                        Optional.of(layout.replicationFactor()))));
    Map<String, org.apache.kafka.common.KafkaFuture<Void>> created =
        admin
            .createTopics(
                wanted,
                new CreateTopicsOptions().validateOnly(true).timeoutMs((int) timeout.toMillis()))
            .values();
    List<String> forbidden = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    // In the order of topics(): the message names them as the documentation lists them.
    for (NewTopic t : wanted) {
      Optional<Throwable> failure = failure(created.get(t.name()), timeout);
      if (failure.isEmpty()) {
        continue;
      }
      Throwable c = failure.get();
      if (c instanceof TopicExistsException) {
        existing.add(t.name());
      } else if (c instanceof AuthorizationException) {
        forbidden.add(t.name());
      } else if (c instanceof InvalidReplicationFactorException) {
        return Optional.of(
            new ConfigProblem(
                "policy.replication-factor",
                Short.toString(layout.replicationFactor()),
                "must be at most the number of brokers: " + c.getMessage()));
      } else {
        return Optional.of(new ConfigProblem(KEY, '"' + appId + '"', "topics: " + c));
      }
    }
    forbidden.addAll(unusable(admin, existing, timeout));
    if (forbidden.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ConfigProblem(
            KEY,
            '"' + appId + '"',
            "alertbridge's Kafka principal must be allowed to create the policy's topics (CREATE"
                + " on the cluster or on topics prefixed with "
                + appId
                + "), or to read and write them once they exist; not allowed: "
                + String.join(", ", forbidden)));
  }

  /** The existing topics the principal may not describe, read or write. */
  private static List<String> unusable(Admin admin, Collection<String> topics, Duration timeout)
      throws TimeoutException, InterruptedException {
    if (topics.isEmpty()) {
      return List.of();
    }
    Map<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> described =
        admin
            .describeTopics(
                topics,
                new DescribeTopicsOptions()
                    .includeAuthorizedOperations(true)
                    .timeoutMs((int) timeout.toMillis()))
            .topicNameValues();
    List<String> unusable = new ArrayList<>();
    for (var e : new java.util.TreeMap<>(described).entrySet()) {
      try {
        Set<AclOperation> ops =
            e.getValue()
                .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)
                .authorizedOperations();
        if (!allowed(ops, AclOperation.READ) || !allowed(ops, AclOperation.WRITE)) {
          unusable.add(e.getKey());
        }
      } catch (ExecutionException x) {
        unusable.add(e.getKey());
      }
    }
    return unusable;
  }

  private static Optional<ConfigProblem> groupProblem(Admin admin, String appId, Duration timeout)
      throws TimeoutException, InterruptedException {
    var future =
        admin
            .describeConsumerGroups(
                List.of(appId),
                new DescribeConsumerGroupsOptions()
                    .includeAuthorizedOperations(true)
                    .timeoutMs((int) timeout.toMillis()))
            .describedGroups()
            .get(appId);
    Set<AclOperation> ops;
    try {
      ConsumerGroupDescription d = future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      ops = d.authorizedOperations();
    } catch (ExecutionException x) {
      if (x.getCause() instanceof GroupIdNotFoundException) {
        // Told apart from "not authorised", so the principal may describe it; a group that does
        // not exist yet has no operations to report, and joining it will tell the rest.
        return Optional.empty();
      }
      if (!(x.getCause() instanceof AuthorizationException)) {
        return Optional.of(new ConfigProblem(KEY, '"' + appId + '"', "group: " + x.getCause()));
      }
      ops = Set.of();
    }
    if (allowed(ops, AclOperation.READ)) {
      return Optional.empty();
    }
    return Optional.of(
        new ConfigProblem(
            KEY,
            '"' + appId + '"',
            "alertbridge's Kafka principal must be allowed to read (READ) and describe"
                + " consumer group "
                + appId
                + ", the policy stage's Kafka Streams application id"));
  }

  private static Optional<ConfigProblem> transactionalIdProblem(
      Supplier<Producer<byte[], byte[]>> transactional, String appId) throws TimeoutException {
    try (Producer<byte[], byte[]> p = transactional.get()) {
      p.initTransactions();
      return Optional.empty();
    } catch (AuthorizationException e) {
      return Optional.of(
          new ConfigProblem(
              KEY,
              '"' + appId + '"',
              "alertbridge's Kafka principal must be allowed to write (WRITE) transactional ids"
                  + " prefixed with "
                  + appId
                  + ", which the policy stage's exactly-once producers use ("
                  + e.getClass().getSimpleName()
                  + ")"));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new TimeoutException("no broker answered initTransactions: " + e.getMessage());
    }
  }

  private static Optional<Throwable> failure(
      org.apache.kafka.common.KafkaFuture<?> f, Duration timeout)
      throws TimeoutException, InterruptedException {
    try {
      f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException x) {
      if (x.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw new TimeoutException(x.getCause().getMessage());
      }
      return Optional.of(x.getCause());
    }
  }

  /** Null when the broker has no authorizer or does not report operations: nothing to check. */
  static boolean allowed(Set<AclOperation> ops, AclOperation needed) {
    return ops == null || ops.contains(needed) || ops.contains(AclOperation.ALL);
  }
}
