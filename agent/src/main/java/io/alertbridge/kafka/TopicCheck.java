package io.alertbridge.kafka;

import io.alertbridge.config.ConfigProblem;
import io.alertbridge.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks at startup that every alert topic exists and may be read, and that the dead-letter topic
 * exists and may be written. Without it, a missing dead-letter topic shows only when the first bad
 * record arrives, as a write that can never succeed. alertbridge never creates topics: their
 * partitions, replication and retention are the operator's decisions.
 */
public final class TopicCheck {
  /** The broker did not answer in time: no verdict on the topics either way. */
  public static final class BrokerUnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    BrokerUnreachableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private TopicCheck() {}

  /** The problems found; empty when every topic is usable. */
  public static List<ConfigProblem> check(Admin admin, KafkaSettings k, Duration timeout)
      throws BrokerUnreachableException, InterruptedException {
    Map<String, String> paths = new LinkedHashMap<>();
    for (int i = 0; i < k.topics().size(); i++) {
      paths.putIfAbsent(k.topics().get(i), "kafka.topics[" + i + "]");
    }
    paths.put(k.deadLetterTopic(), "kafka.dead-letter-topic");
    Map<String, KafkaFuture<TopicDescription>> described =
        admin
            .describeTopics(
                paths.keySet(),
                new DescribeTopicsOptions()
                    .includeAuthorizedOperations(true)
                    .timeoutMs((int) timeout.toMillis()))
            .topicNameValues();
    List<ConfigProblem> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : paths.entrySet()) {
      String topic = e.getKey();
      boolean deadLetter = topic.equals(k.deadLetterTopic());
      String found = '"' + topic + '"';
      try {
        TopicDescription d =
            described.get(topic).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        AclOperation needed = deadLetter ? AclOperation.WRITE : AclOperation.READ;
        if (!allowed(d.authorizedOperations(), needed)) {
          problems.add(
              new ConfigProblem(
                  e.getValue(),
                  found,
                  "must be "
                      + (deadLetter ? "writable" : "readable")
                      + " by alertbridge's Kafka principal (it lacks "
                      + needed
                      + " on this topic)"));
        }
      } catch (ExecutionException x) {
        problems.add(problem(e.getValue(), found, deadLetter, x.getCause()));
      } catch (TimeoutException x) {
        throw unreachable(k, x);
      }
    }
    return problems;
  }

  private static boolean allowed(Set<AclOperation> ops, AclOperation needed) {
    // Null when the broker has no authorizer or does not report operations: nothing to check.
    return ops == null || ops.contains(needed) || ops.contains(AclOperation.ALL);
  }

  private static ConfigProblem problem(String path, String found, boolean deadLetter, Throwable c)
      throws BrokerUnreachableException {
    if (c instanceof UnknownTopicOrPartitionException) {
      return new ConfigProblem(
          path,
          found,
          "must name an existing topic; alertbridge does not create topics"
              + (deadLetter ? ", and bad records can only be set aside once it exists" : "")
              + " (kafka-topics.sh --create --topic "
              + found.substring(1, found.length() - 1)
              + ")");
    }
    if (c instanceof TopicAuthorizationException) {
      return new ConfigProblem(
          path,
          found,
          "must be a topic alertbridge's Kafka principal may describe (not authorised)");
    }
    if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
      throw new BrokerUnreachableException("no Kafka broker answered in time", c);
    }
    return new ConfigProblem(path, found, "could not be checked: " + c);
  }

  private static BrokerUnreachableException unreachable(KafkaSettings k, Throwable cause) {
    return new BrokerUnreachableException(
        "no Kafka broker at " + k.bootstrapServers() + " answered", cause);
  }
}
