package io.alertbridge.it;

/**
 * The two paths an alert can take to the SMTP server, for the fault tests that must hold on both
 * (issue 15): the direct one ({@code policy.enabled: false}) and the default one, through the
 * notification policy's Kafka Streams stage and its notification topic.
 */
enum DeliveryPath {
  /** Every event mailed at once by the delivery stage reading the alert topic. */
  DIRECT,
  /**
   * Alert topic → policy stage → {@code <group>.state-notifications} → delivery. Every route gets
   * {@code group-wait: 0s}, so each alert is mailed at once, and the tests send distinct alerts
   * ({@link Events#fresh}), so each event gets a mail of its own: the same verdict as on the direct
   * path, one Message-ID per event, can then be read from the SMTP server.
   */
  POLICY;

  private static final String POLICY_OFF =
      "policy:\n  enabled: false  # these tests are about delivery: one mail per event, at once\n";

  /** {@code directYaml}, a variant of {@code ConfigFixtures.VALID}, set up for this path. */
  String config(String directYaml) {
    if (this == DIRECT) {
      return directYaml;
    }
    String yaml =
        directYaml
            .replace(POLICY_OFF, "policy:\n  enabled: true\n  max-event-age: 1h\n")
            .replace("    template: overtemp\n", "    template: overtemp\n    group-wait: 0s\n")
            .replace("    template: plain\n", "    template: plain\n    group-wait: 0s\n");
    if (!yaml.contains("enabled: true") || !yaml.contains("group-wait: 0s")) {
      throw new IllegalArgumentException("not a variant of ConfigFixtures.VALID:\n" + directYaml);
    }
    return yaml;
  }

  /** The Kafka Streams application id (and consumer group) of the policy stage. */
  static String streamsGroup(String group) {
    return group + ".state";
  }

  /** The topic the delivery group reads on this path. */
  String deliveryTopic(String alertTopic, String group) {
    return this == DIRECT ? alertTopic : streamsGroup(group) + "-notifications";
  }

  /** Whether a packaged daemon's log says it reads its partitions (and the policy runs). */
  boolean ready(String log, String alertTopic, String group) {
    String assigned = "partitions assigned: [" + deliveryTopic(alertTopic, group);
    return log.contains(assigned) && (this == DIRECT || log.contains("-> RUNNING"));
  }
}
