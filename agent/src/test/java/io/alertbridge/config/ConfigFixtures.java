package io.alertbridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes configurations and templates into a test's temporary folder. */
public final class ConfigFixtures {
  private ConfigFixtures() {}

  /**
   * A complete, valid configuration whose Kafka, SMTP and audit settings come from the environment
   * variables KAFKA, TOPIC, DLQ, GROUP, SMTP_PORT and AUDIT.
   */
  public static final String VALID =
      """
      kafka:
        bootstrap-servers: ${KAFKA:-localhost:9092}
        group-id: ${GROUP:-alertbridge-test}
        topics: ["${TOPIC:-alerts}"]
        dead-letter-topic: ${DLQ:-alerts.dlq}
        poll-timeout: 50ms
      smtp:
        from: "Engine Room Monitor <alerts@plant.example>"
        servers:
          - host: 127.0.0.1
            port: ${SMTP_PORT:-25}
        connect-timeout: 2s
        read-timeout: 5s
        retry:
          max-attempts: 2
          initial-backoff: 50ms
          max-backoff: 200ms
      lists:
        engine-oncall: [chief.engineer@plant.example, duty.engineer@plant.example]
      routes:
        - name: engine-critical
          match: {severity: critical, labels: {room: engine}}
          to: [list:engine-oncall]
          template: overtemp
        - name: default
          to: [ops@plant.example]
          template: plain
      templates:
        overtemp: {subject: "[{{ event.status | upper }}] {{ event.summary }}", text: t/overtemp.txt, html: t/overtemp.html}
        plain: {subject: "{{ event.severity }}: {{ event.summary }}", text: t/plain.txt}
      audit:
        file: ${AUDIT:-audit.jsonl}
      delivery:
        shutdown-timeout: 5s
      policy:
        enabled: false  # these tests are about delivery: one mail per event, at once
      """;

  /** The environment {@link #VALID} reads: where Kafka, the topics, SMTP and the audit file are. */
  public static java.util.Map<String, String> env(
      String bootstrap, String topic, String group, int smtpPort, Path auditFile) {
    return java.util.Map.of(
        "KAFKA",
        bootstrap,
        "TOPIC",
        topic,
        "DLQ",
        topic + ".dlq",
        "GROUP",
        group,
        "SMTP_PORT",
        Integer.toString(smtpPort),
        "AUDIT",
        auditFile.toString());
  }

  /** Writes {@code yaml} as alertbridge.yaml plus the templates it names; returns the file. */
  public static Path write(Path dir, String yaml) throws IOException {
    Files.createDirectories(dir.resolve("t"));
    Files.writeString(
        dir.resolve("t/overtemp.txt"),
        "{{ event.summary }}\n{{ event.description }}\nT={{ event.values.temperature_c }}\n");
    Files.writeString(
        dir.resolve("t/overtemp.html"), "<p>{{ event.summary }}</p><p>{{ event.description }}</p>");
    Files.writeString(dir.resolve("t/plain.txt"), "{{ event.summary }}\n{{ event.description }}\n");
    Path file = dir.resolve("alertbridge.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
