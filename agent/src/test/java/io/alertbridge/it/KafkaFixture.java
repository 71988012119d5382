package io.alertbridge.it;

import io.alertbridge.embedded.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Provides one real Kafka broker for the whole integration-test run. {@code ALERTBRIDGE_TEST_KAFKA}
 * chooses it: {@code testcontainers} (Kafka in Docker), {@code embedded} (an in-process KRaft
 * broker from Kafka's own artifacts), or {@code auto} (the default: Testcontainers when a Docker
 * engine is reachable, embedded otherwise). Tests isolate themselves with their own topics and
 * consumer groups.
 */
public final class KafkaFixture implements ParameterResolver {
  /** A running broker. */
  public interface Broker extends AutoCloseable {
    String bootstrapServers();

    String kind();

    @Override
    void close();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == Broker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return c.getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Broker.class, k -> start(), Broker.class);
  }

  private static Broker start() {
    String mode =
        System.getenv().getOrDefault("ALERTBRIDGE_TEST_KAFKA", "auto").toLowerCase(Locale.ROOT);
    boolean docker =
        switch (mode) {
          case "testcontainers" -> true;
          case "embedded" -> false;
          default -> dockerReachable();
        };
    return docker ? container() : embedded();
  }

  /** Asks Testcontainers only when a Docker endpoint could exist, so a plain box starts fast. */
  private static boolean dockerReachable() {
    boolean endpoint =
        System.getenv("DOCKER_HOST") != null
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(System.getProperty("user.home"), ".docker/run/docker.sock"));
    return endpoint && DockerClientFactory.instance().isDockerAvailable();
  }

  private static Broker container() {
    KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
    kafka.start();
    return new Broker() {
      @Override
      public String bootstrapServers() {
        return kafka.getBootstrapServers();
      }

      @Override
      public String kind() {
        return "testcontainers";
      }

      @Override
      public void close() {
        kafka.stop();
      }
    };
  }

  private static Broker embedded() {
    try {
      EmbeddedKafka kafka = EmbeddedKafka.start();
      return new Broker() {
        @Override
        public String bootstrapServers() {
          return kafka.bootstrapServers();
        }

        @Override
        public String kind() {
          return "embedded KRaft";
        }

        @Override
        public void close() {
          kafka.close();
        }
      };
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot start the embedded broker", e);
    }
  }

  /** Creates topics on any broker (not only the embedded one). */
  public static void createTopics(Broker broker, int partitions, String... names) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      for (String n : names) {
        admin.createTopics(List.of(new NewTopic(n, partitions, (short) 1))).all().get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
