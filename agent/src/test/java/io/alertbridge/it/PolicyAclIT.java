package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.config.ConfigFixtures;
import io.alertbridge.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker with ACLs (SASL/PLAIN and KRaft's StandardAuthorizer): a principal that may read the
 * alerts but not run the policy stage gets a configuration error naming each missing ACL, exit 2,
 * from check-config and from run, instead of a start retried every 5 s for ever (review M7).
 */
class PolicyAclIT {
  private static final String USER = "alertbridge";
  private static final String PASSWORD = "alertbridge-secret";
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.startSecured(Map.of(USER, PASSWORD));
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static Admin superUser() {
    return Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()));
  }

  private static AclBinding allow(ResourceType type, String name, PatternType p, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(type, name, p),
        new AccessControlEntry("User:" + USER, "*", op, AclPermissionType.ALLOW));
  }

  /** What the delivery path needs: read the alerts, write dead letters, its consumer group. */
  private static void allowDelivery(Admin admin, String topic, String group) throws Exception {
    admin
        .createTopics(
            List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)))
        .all()
        .get();
    admin
        .createAcls(
            List.of(
                allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ),
                allow(ResourceType.TOPIC, topic + ".dlq", PatternType.LITERAL, AclOperation.WRITE),
                allow(
                    ResourceType.TOPIC, topic + ".dlq", PatternType.LITERAL, AclOperation.DESCRIBE),
                allow(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ)))
        .all()
        .get();
  }

  /** Everything the policy stage needs, on resources prefixed with its application id. */
  private static void allowPolicy(Admin admin, String appId) throws Exception {
    admin
        .createAcls(
            List.of(
                allow(ResourceType.TOPIC, appId, PatternType.PREFIXED, AclOperation.ALL),
                allow(ResourceType.GROUP, appId, PatternType.PREFIXED, AclOperation.READ),
                allow(
                    ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED, AclOperation.WRITE),
                allow(
                    ResourceType.TRANSACTIONAL_ID,
                    appId,
                    PatternType.PREFIXED,
                    AclOperation.DESCRIBE)))
        .all()
        .get();
  }

  private Path config() throws Exception {
    String yaml =
        ConfigFixtures.VALID
            .replace(StartupTopicsIT.POLICY_OFF, "")
            .replace(
                "  poll-timeout: 50ms\n",
                "  poll-timeout: 50ms\n"
                    + "  properties:\n"
                    + "    security.protocol: SASL_PLAINTEXT\n"
                    + "    sasl.mechanism: PLAIN\n"
                    + "    sasl.jaas.config: >-\n"
                    + "      org.apache.kafka.common.security.plain.PlainLoginModule required\n"
                    + "      username=\""
                    + USER
                    + "\" password=\""
                    + PASSWORD
                    + "\";\n");
    return ConfigFixtures.write(dir, yaml);
  }

  @Test
  void withoutThePolicysAclsCheckConfigAndRunExitTwoNamingEachUntilTheyAreGranted()
      throws Exception {
    String topic = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
    String group = "g-" + UUID.randomUUID().toString().substring(0, 8);
    String appId = group + ".state";
    Map<String, String> env =
        ConfigFixtures.env(
            kafka.saslBootstrapServers(), topic, group, 25, dir.resolve("audit.jsonl"));
    Path config = config();
    List<String> missing =
        List.of(
            "policy.state-topic: alertbridge's Kafka principal must be allowed to create the"
                + " policy's topics (CREATE on the cluster or on topics prefixed with "
                + appId
                + "), or to read and write them once they exist; not allowed: "
                + String.join(", ", io.alertbridge.policy.PolicyAccess.topics(appId)),
            "policy.state-topic: alertbridge's Kafka principal must be allowed to read (READ) and"
                + " describe consumer group "
                + appId
                + ", the policy stage's Kafka Streams application id",
            "policy.state-topic: alertbridge's Kafka principal must be allowed to write (WRITE)"
                + " transactional ids prefixed with "
                + appId
                + ", which the policy stage's exactly-once producers use"
                + " (TransactionalIdAuthorizationException)");
    try (Admin admin = superUser()) {
      allowDelivery(admin, topic, group);

      try (DaemonProcess check =
          DaemonProcess.start(
              dir.resolve("check.log"), env, "check-config", "-c", config.toString())) {
        assertThat(check.waitFor(90)).as(check.log()).isEqualTo(2);
        assertThat(check.log()).contains("alertbridge: configuration error:").contains(missing);
      }
      try (DaemonProcess run = DaemonProcess.run(dir.resolve("run.log"), env, config)) {
        assertThat(run.waitFor(120)).as(run.log()).isEqualTo(2);
        assertThat(run.log()).contains(missing).doesNotContain("trying again in");
      }

      allowPolicy(admin, appId);
      try (DaemonProcess check =
          DaemonProcess.start(
              dir.resolve("granted.log"), env, "check-config", "-c", config.toString())) {
        assertThat(check.waitFor(90)).as(check.log()).isZero();
        assertThat(check.log())
            .contains(
                // Without DESCRIBE_CONFIGS on the alert topics their min.insync.replicas is
                // unknown: said so, not guessed silently.
                "its topics: 1 partition(s), replication factor 1, min.insync.replicas 1"
                    + " (replication factor as the alert topics; min.insync.replicas 1: the alert"
                    + " topics' cannot be read without DESCRIBE_CONFIGS, set"
                    + " policy.min-insync-replicas); create, group and transactional-id ACLs"
                    + " checked");
      }
    }
  }

  @Test
  void aRefusalWhileTheStageRunsStopsTheDaemonWithExitTwoNotARestartLoop() throws Exception {
    String topic = "alerts-" + UUID.randomUUID().toString().substring(0, 8);
    String group = "g-" + UUID.randomUUID().toString().substring(0, 8);
    String appId = group + ".state";
    Map<String, String> env =
        ConfigFixtures.env(
            kafka.saslBootstrapServers(), topic, group, 25, dir.resolve("audit.jsonl"));
    Path config = config();
    try (Admin admin = superUser()) {
      allowDelivery(admin, topic, group);
      allowPolicy(admin, appId);
      try (DaemonProcess run = DaemonProcess.run(dir.resolve("run.log"), env, config)) {
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(120))
            .until(() -> run.log().contains("policy stage REBALANCING -> RUNNING"));
        // The stage's producers may no longer use their transactional ids: its next transaction
        // is refused, and so is every replacement thread's initTransactions.
        admin
            .deleteAcls(
                List.of(
                    new org.apache.kafka.common.acl.AclBindingFilter(
                        new org.apache.kafka.common.resource.ResourcePatternFilter(
                            ResourceType.TRANSACTIONAL_ID, appId, PatternType.PREFIXED),
                        org.apache.kafka.common.acl.AccessControlEntryFilter.ANY)))
            .all()
            .get();
        try (var producer =
            new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
          producer
              .send(
                  new org.apache.kafka.clients.producer.ProducerRecord<>(
                      topic,
                      Events.info("acl-1", "Bilge pump running", "")
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
              .get();
        }
        assertThat(run.waitFor(180)).as(run.log()).isEqualTo(2);
        assertThat(run.log())
            .contains("alertbridge: configuration error: policy stage")
            .contains("TransactionalIdAuthorizationException");
      }
    }
  }
}
