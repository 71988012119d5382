package io.alertbridge.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), started in this
 * JVM from Kafka's own artifacts on free loopback ports. For the demo and the integration tests;
 * the daemon never loads this class.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final Path dir;
  private final int brokerPort;
  private int saslPort;
  private final KafkaRaftServer server;
  private final boolean temporary;

  private EmbeddedKafka(Path dir, int brokerPort, KafkaRaftServer server, boolean temporary) {
    this.dir = dir;
    this.brokerPort = brokerPort;
    this.server = server;
    this.temporary = temporary;
  }

  public static EmbeddedKafka start() throws IOException {
    return start(Files.createTempDirectory("alertbridge-kafka-"), freePort(), freePort(), true);
  }

  /**
   * Starts a broker on the given ports with its data under {@code dir}. {@code temporary} brokers
   * delete their data on close; a restartable one keeps it and is formatted only the first time, so
   * it comes back on the same ports with the same topics and committed offsets.
   */
  public static EmbeddedKafka start(Path dir, int brokerPort, int controllerPort, boolean temporary)
      throws IOException {
    return start(dir, brokerPort, controllerPort, temporary, new Properties());
  }

  /**
   * A temporary broker that also authorises: its PLAINTEXT listener is a super user (for the test's
   * own admin work), its SASL/PLAIN listener ({@link #saslBootstrapServers()}) authenticates {@code
   * users} (name to password) and lets them do only what ACLs allow.
   */
  public static EmbeddedKafka startSecured(Map<String, String> users) throws IOException {
    int sasl = freePort();
    int broker = freePort();
    int controller = freePort();
    StringBuilder jaas =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach((u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
    Properties extra = new Properties();
    extra.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + broker
            + ",SASL_PLAINTEXT://127.0.0.1:"
            + sasl
            + ",CONTROLLER://127.0.0.1:"
            + controller);
    extra.put(
        "advertised.listeners",
        "PLAINTEXT://127.0.0.1:" + broker + ",SASL_PLAINTEXT://127.0.0.1:" + sasl);
    extra.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    extra.put("sasl.enabled.mechanisms", "PLAIN");
    extra.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
    extra.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    // The broker's own and the test's PLAINTEXT connections are ANONYMOUS.
    extra.put("super.users", "User:ANONYMOUS");
    EmbeddedKafka k =
        start(Files.createTempDirectory("alertbridge-kafka-"), broker, controller, true, extra);
    k.saslPort = sasl;
    return k;
  }

  /** The SASL/PLAIN listener of a {@link #startSecured} broker. */
  public String saslBootstrapServers() {
    return "127.0.0.1:" + saslPort;
  }

  private static EmbeddedKafka start(
      Path dir, int brokerPort, int controllerPort, boolean temporary, Properties extra)
      throws IOException {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.putAll(extra);
    Path config = dir.resolve("server.properties");
    try (var out = Files.newOutputStream(config)) {
      p.store(out, "alertbridge embedded broker");
    }
    if (!Files.exists(dir.resolve("data/meta.properties"))) {
      format(config);
    }
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(p), Time.SYSTEM);
    server.startup();
    return new EmbeddedKafka(dir, brokerPort, server, temporary);
  }

  /**
   * A broker in a process of its own, for tests that stop and restart it: {@code DIR BROKER_PORT
   * CONTROLLER_PORT}. Prints {@code READY host:port} once it serves, and runs until killed.
   */
  public static void main(String[] args) throws Exception {
    EmbeddedKafka kafka =
        start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), false);
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-shutdown"));
    System.out.println("READY " + kafka.bootstrapServers());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static void format(Path config) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int rc =
        StorageTool.execute(
            new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()},
            new PrintStream(output, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException(
          "kafka-storage format failed: " + output.toString(StandardCharsets.UTF_8));
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** Creates the topics (if missing) with the given partition count, and waits until they exist. */
  public void createTopics(int partitions, String... names) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      for (String name : names) {
        try {
          admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + name, e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topics", e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (!temporary) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
