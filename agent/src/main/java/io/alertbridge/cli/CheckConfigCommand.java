package io.alertbridge.cli;

import io.alertbridge.address.MxLookup;
import io.alertbridge.address.MxResult;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigException;
import io.alertbridge.config.Durations;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.config.SmtpSettings;
import io.alertbridge.daemon.StartupCheck;
import io.alertbridge.kafka.KafkaClientFactory;
import io.alertbridge.policy.PolicyTopics;
import io.alertbridge.render.Templates;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import jakarta.mail.internet.InternetAddress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code alertbridge check-config}: validate everything the daemon would, then summarise. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = "Validate a configuration (and compile its templates) and print a summary.")
final class CheckConfigCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Option(
      names = "--dns",
      description =
          "Also look up the mail hosts of every recipient domain;"
              + " exit 1 if one cannot receive mail (NXDOMAIN, null MX, no mail host).")
  boolean dns;

  @Mixin DnsOptions dnsOptions;

  @Option(
      names = "--offline",
      description =
          "Do not contact Kafka. By default the alert topics and the dead-letter topic must exist"
              + " and be readable and writable.")
  boolean offline;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "5",
      description = "DNS timeout (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    AlertbridgeConfig c = config.load();
    Templates.compile(c.templates());
    Router router = Router.of(c);
    if (!offline && !StartupCheck.topics(c.kafka(), KafkaClientFactory.REAL, Duration.ZERO)) {
      throw new ConfigException(
          "kafka.bootstrap-servers",
          '"' + c.kafka().bootstrapServers() + '"',
          "no broker answered, so the topics could not be checked (--offline skips this check)");
    }
    Optional<PolicyTopics.Checked> layout = Optional.empty();
    if (!offline && c.policy().enabled()) {
      layout = StartupCheck.policy(c.kafka(), c.policy(), KafkaClientFactory.REAL, Duration.ZERO);
      if (layout.isEmpty()) {
        throw new ConfigException(
            "kafka.bootstrap-servers",
            '"' + c.kafka().bootstrapServers() + '"',
            "no broker answered, so the policy's topics and ACLs could not be checked"
                + " (--offline skips this check)");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("configuration %s is valid%n%n", config.file);
    out.printf(
        "kafka:     %s, group %s, topics %s, dead letters to %s%n",
        c.kafka().bootstrapServers(),
        c.kafka().groupId(),
        c.kafka().topics(),
        c.kafka().deadLetterTopic());
    SmtpSettings s = c.smtp();
    out.printf(
        "smtp:      from %s, envelope sender %s%n", s.from().toUnicodeString(), s.envelopeSender());
    s.servers()
        .forEach(
            server ->
                out.printf(
                    "           server %s, %d connection(s), rate %s, %d messages per connection%n",
                    server,
                    s.connectionsOf(server),
                    server.rate() == null ? "unlimited" : server.rate(),
                    server.maxMessagesPerConnection()));
    out.printf(
        "           timeouts connect %s, read %s, idle %s; circuit breaker %s failures of at"
            + " least %d calls opens for %s; retry %d attempts, backoff %s..%s%n",
        Durations.format(s.connectTimeout()),
        Durations.format(s.readTimeout()),
        Durations.format(s.idleTimeout()),
        s.circuitBreaker().failureRate(),
        s.circuitBreaker().minimumCalls(),
        Durations.format(s.circuitBreaker().openFor()),
        s.retry().maxAttempts(),
        Durations.format(s.retry().initialBackoff()),
        Durations.format(s.retry().maxBackoff()));
    PolicySettings p = c.policy();
    if (p.enabled()) {
      out.printf(
          "policy:    max-event-age %s, dedup-window %s, max-mails-per-recipient %s,"
              + " state topic %s%n",
          Durations.format(p.maxEventAge()),
          Durations.format(p.dedupWindow()),
          p.maxMailsPerRecipient() == null ? "unlimited" : p.maxMailsPerRecipient(),
          p.stateTopicFor(c.kafka().groupId()));
      out.printf("           its topics: %s%n", topicsLine(p, layout));
      layout.ifPresent(l -> l.differing().forEach(d -> out.printf("           but %s%n", d)));
    } else {
      out.println("policy:    off (policy.enabled: false): every event is mailed at once");
    }
    out.println("routes:");
    for (int i = 0; i < router.routes().size(); i++) {
      Route r = router.routes().get(i);
      RouteSettings rs = c.routes().get(i);
      out.printf(
          "  %-20s template %-12s%s -> %s%n",
          r.name(),
          r.template(),
          r.continueMatching() ? " (continue)" : "",
          String.join(", ", r.everyone().stream().map(InternetAddress::getAddress).toList()));
      if (p.enabled()) {
        out.printf(
            "  %-20s group-by %s, group-wait %s, group-interval %s, repeat-interval %s,"
                + " send-resolved %s%s%n",
            "",
            rs.groupBy().isEmpty() ? "[fingerprint]" : rs.groupBy(),
            Durations.format(rs.groupWait()),
            Durations.format(rs.groupInterval()),
            Durations.format(rs.repeatInterval()),
            rs.sendResolved(),
            rs.mute().isEmpty()
                ? ""
                : ", muted "
                    + String.join(
                        "; ",
                        rs.mute().stream()
                            .map(
                                m ->
                                    (m.weekdays().isEmpty()
                                            ? "every day"
                                            : String.join(",", m.weekdays()))
                                        + " "
                                        + (m.times() == null ? "00:00-24:00" : m.times())
                                        + " "
                                        + (m.timezone() == null ? "UTC" : m.timezone()))
                            .toList()));
        if (rs.flapDetection() != null) {
          out.printf(
              "  %-20s flap-detection: more than %d changes in %s, quiet %s%n",
              "",
              rs.flapDetection().transitions(),
              Durations.format(rs.flapDetection().window()),
              Durations.format(rs.flapDetection().quiet()));
        }
      }
    }
    if (!c.inhibit().isEmpty()) {
      out.println("inhibit:" + (p.enabled() ? "" : " (not applied: the policy is off)"));
      c.inhibit()
          .forEach(
              i ->
                  out.printf(
                      "  while %s fires: %s with equal %s%n", i.source(), i.target(), i.equal()));
    }
    out.printf("templates: %s%n", c.templates().keySet());
    out.printf("audit:     %s%n", c.audit().file());
    out.printf(
        "http:      %s%s%n",
        c.http().summary(),
        c.http().writable()
            ? "; writes (silences, reload) with a token of " + c.http().auth().tokensFile()
            : c.http().statusPage() ? "; writes refused (no http.auth.tokens-file)" : "");
    out.printf("logging:   %s%n", c.logging().format());
    boolean deliverable = !dns || checkDomains(router, out);
    out.flush();
    return deliverable ? Main.OK : Main.FAILED;
  }

  /** How the policy's topics are made, as decided against the broker or as far as it is known. */
  private static String topicsLine(PolicySettings p, Optional<PolicyTopics.Checked> checked) {
    if (checked.isPresent()) {
      return checked.get().layout() + "; create, group and transactional-id ACLs checked";
    }
    return "replication factor "
        + (p.replicationFactor() == null ? "as the alert topics" : p.replicationFactor())
        + ", min.insync.replicas "
        + (p.minInsyncReplicas() == null ? "as the alert topics" : p.minInsyncReplicas())
        + " (--offline: not checked against the broker)";
  }

  /** Level 2 of check-address over every recipient domain; false if one cannot receive mail. */
  private boolean checkDomains(Router router, PrintWriter out) throws Exception {
    MxLookup lookup = dnsOptions.lookup(Duration.ofSeconds(timeoutSeconds), spec.commandLine());
    Set<String> domains = new TreeSet<>();
    router
        .routes()
        .forEach(
            r ->
                r.everyone()
                    .forEach(
                        a ->
                            domains.add(
                                a.getAddress()
                                    .substring(a.getAddress().lastIndexOf('@') + 1)
                                    .toLowerCase(Locale.ROOT))));
    boolean ok = true;
    out.println("recipient domains (DNS):");
    for (String d : domains) {
      MxResult r = lookup.lookup(d);
      ok &= !r.status().undeliverable();
      out.printf(
          "  %-28s %-12s %s%n",
          d,
          r.status(),
          r.hosts().isEmpty()
              ? r.detail()
              : String.join(
                  ", ", r.hosts().stream().map(h -> h.preference() + " " + h.host()).toList()));
    }
    return ok;
  }
}
