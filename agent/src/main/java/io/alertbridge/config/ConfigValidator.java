package io.alertbridge.config;

import io.alertbridge.mailbox.MailboxSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules a bound configuration must satisfy; each broken rule becomes a {@link ConfigProblem}.
 */
final class ConfigValidator {
  static final String LIST_PREFIX = "list:";
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
  private static final Set<String> STATUSES = Set.of("firing", "resolved");
  private final AlertbridgeConfig config;
  private final List<ConfigProblem> problems = new ArrayList<>();

  ConfigValidator(AlertbridgeConfig config) {
    this.config = config;
  }

  List<ConfigProblem> validate() {
    new KafkaRules(this).kafka(config.kafka());
    new SmtpRules(this).smtp(config.smtp());
    new InboundRules(this).inbound(config.inbound());
    lists();
    routes();
    templates();
    policy(config.policy());
    http(config.http());
    OperatorRules operators = new OperatorRules(this);
    operators.inhibit(config.inhibit());
    operators.auth(config.http().auth());
    FollowupRules followups = new FollowupRules(this);
    followups.links(config.http());
    for (int i = 0; i < config.routes().size(); i++) {
      RouteSettings r = config.routes().get(i);
      if (r != null) {
        operators.flapDetection("routes[" + i + "].flap-detection", r.flapDetection());
        followups.route("routes[" + i + "]", r);
      }
    }
    if (!config.logging().format().equals("text") && !config.logging().format().equals("json")) {
      problem("logging.format", quote(config.logging().format()), "must be text or json");
    }
    if (config.audit() == null || blank(config.audit().file())) {
      problem("audit.file", null, "is required: the path of the JSON-lines audit log");
    }
    if (config.audit() != null) {
      positive("audit.fsync-interval", config.audit().fsyncInterval());
    }
    positive("delivery.max-queued-per-partition", config.delivery().maxQueuedPerPartition());
    positive("delivery.shutdown-timeout", config.delivery().shutdownTimeout());
    positive("delivery.max-unexpected-failures", config.delivery().maxUnexpectedFailures());
    if (config.delivery().maxQueuedBytesPerPartition().bytes() <= 0) {
      problem(
          "delivery.max-queued-bytes-per-partition",
          config.delivery().maxQueuedBytesPerPartition().toString(),
          "must be positive");
    }
    if (config.delivery().maxMessageSize().bytes() <= 0) {
      problem(
          "delivery.max-message-size",
          config.delivery().maxMessageSize().toString(),
          "must be positive");
    }
    if (config.delivery().maxEventAge().isNegative()) {
      problem(
          "delivery.max-event-age",
          Durations.format(config.delivery().maxEventAge()),
          "must not be negative (0s mails events of any age)");
    }
    return problems;
  }

  void topicName(String path, String topic) {
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      problem(path, quote(topic), "must be a Kafka topic name: 1-249 of a-z A-Z 0-9 . _ -");
    }
  }

  private void lists() {
    for (Map.Entry<String, ListSettings> e : config.lists().entrySet()) {
      String path = "lists." + e.getKey();
      ListSettings list = e.getValue();
      if (list != null && list.isRota()) {
        RotaRules.compile(list.rota(), path + ".rota", problems);
        continue;
      }
      if (list == null || list.addresses().isEmpty()) {
        problem(path, "[]", "a distribution list must have at least one address");
        continue;
      }
      for (int i = 0; i < list.addresses().size(); i++) {
        mailbox(path + "[" + i + "]", list.addresses().get(i), "");
      }
    }
  }

  private void routes() {
    if (config.routes().isEmpty()) {
      problem("routes", "[]", "must have at least one route, or no alert would ever be mailed");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < config.routes().size(); i++) {
      String path = "routes[" + i + "]";
      RouteSettings r = config.routes().get(i);
      if (r == null) {
        problem(path, null, "must be a mapping with name, to and template");
        continue;
      }
      if (blank(r.name())) {
        problem(path + ".name", quote(r.name()), "is required");
      } else if (!names.add(r.name())) {
        problem(path + ".name", quote(r.name()), "must be unique among routes");
      }
      if (r.to().isEmpty()) {
        problem(path + ".to", "[]", "must name at least one recipient or list:NAME");
      }
      for (int j = 0; j < r.to().size(); j++) {
        recipient(path + ".to[" + j + "]", r.to().get(j), r.name());
      }
      if (blank(r.template())) {
        problem(path + ".template", quote(r.template()), "is required");
      } else if (!config.templates().containsKey(r.template())) {
        problem(
            path + ".template",
            quote(r.template()),
            "must name a template defined under templates; defined: "
                + config.templates().keySet());
      }
      match(path + ".match", r.match());
      routePolicy(path, r);
    }
  }

  private static final Pattern GROUP_BY =
      Pattern.compile("id|source|type|severity|labels\\.[^\\s]+");

  private void routePolicy(String path, RouteSettings r) {
    for (int j = 0; j < r.groupBy().size(); j++) {
      String g = r.groupBy().get(j);
      if (g == null || !GROUP_BY.matcher(g).matches()) {
        problem(
            path + ".group-by[" + j + "]",
            quote(g),
            "must be id, source, type, severity or labels.NAME");
      }
    }
    positive(path + ".group-interval", r.groupInterval());
    positive(path + ".repeat-interval", r.repeatInterval());
    if (r.alertTimeout() != null) {
      positive(path + ".alert-timeout", r.alertTimeout());
    }
    if (!RouteSettings.REPORT.equals(r.onAlertTimeout())
        && !RouteSettings.RESOLVE.equals(r.onAlertTimeout())) {
      problem(path + ".on-alert-timeout", quote(r.onAlertTimeout()), "must be report or resolve");
    }
    for (int j = 0; j < r.mute().size(); j++) {
      MuteWindow.compile(r.mute().get(j), path + ".mute[" + j + "]", problems);
    }
  }

  private static final Pattern LISTEN = Pattern.compile("[^\\s,]+:\\d{1,5}");

  private void http(HttpSettings h) {
    listen("http.listen", h.listen());
    listen("http.metrics-listen", h.metricsListen());
    if (h.statusPage() && h.metricsListener() && h.listen().equals(h.metricsListen())) {
      problem(
          "http.metrics-listen",
          quote(h.metricsListen()),
          "must differ from http.listen: it is a second listener, without the status page");
    }
  }

  private void listen(String key, String value) {
    if (value == null || value.isBlank()) {
      return;
    }
    int colon = value.lastIndexOf(':');
    if (!LISTEN.matcher(value).matches() || Integer.parseInt(value.substring(colon + 1)) > 65535) {
      problem(
          key,
          quote(value),
          "must be host:port, e.g. 127.0.0.1:9464 (loopback) or 0.0.0.0:9464 (every interface)");
    }
  }

  private void policy(PolicySettings p) {
    positive("policy.max-event-age", p.maxEventAge());
    positive("policy.dedup-window", p.dedupWindow());
    positive("policy.commit-interval", p.commitInterval());
    positive("policy.max-clock-skew", p.maxClockSkew());
    if (p.stateTopic() != null && !TOPIC.matcher(p.stateTopic()).matches()) {
      problem(
          "policy.state-topic",
          quote(p.stateTopic()),
          "must be a Kafka topic name: letters, digits, '.', '_' and '-'");
    }
    policyReplication(p.replicationFactor(), p.minInsyncReplicas());
  }

  /** Both null: the alert topics' (decided at startup, when the broker is known). */
  private void policyReplication(Integer rf, Integer minIsr) {
    if (rf != null && (rf < 1 || rf > Short.MAX_VALUE)) {
      problem("policy.replication-factor", rf.toString(), "must be between 1 and 32767");
    }
    if (minIsr != null && minIsr < 1) {
      problem("policy.min-insync-replicas", minIsr.toString(), "must be at least 1");
    } else if (minIsr != null && rf != null && minIsr > rf) {
      // Kafka accepts it, and then refuses every acks=all write, i.e. every policy transaction.
      problem(
          "policy.min-insync-replicas",
          minIsr.toString(),
          "must be at most policy.replication-factor (" + rf + "), or no write can succeed");
    }
  }

  void recipient(String path, String to, String route) {
    if (to != null && to.startsWith(LIST_PREFIX)) {
      String name = to.substring(LIST_PREFIX.length());
      if (!config.lists().containsKey(name)) {
        problem(
            path,
            quote(to),
            "must name a list defined under lists; defined: " + config.lists().keySet());
      }
    } else {
      mailbox(path, to, "route " + route + ": ");
    }
  }

  private void mailbox(String path, String address, String context) {
    mailboxProblem(path, address, context).ifPresent(problems::add);
  }

  static Optional<ConfigProblem> mailboxProblem(String path, String address, String context) {
    if (address == null) {
      return Optional.of(
          new ConfigProblem(path, "null", context + "must be an address (local@domain)"));
    }
    MailboxSyntax.Result r = MailboxSyntax.check(address);
    if (!r.valid()) {
      return Optional.of(
          new ConfigProblem(
              path,
              quote(address),
              context
                  + "must be an RFC 5321 mailbox (local@domain): "
                  + String.join("; ", r.reasons())));
    } else if (r.smtputf8()) {
      return Optional.of(
          new ConfigProblem(
              path,
              quote(address),
              context
                  + "must be an ASCII address: internationalised (SMTPUTF8) recipients are not"
                  + " supported yet"));
    }
    return Optional.empty();
  }

  private void match(String path, MatchSettings m) {
    values(path + ".severity", m.severity(), SEVERITIES);
    values(path + ".status", m.status(), STATUSES);
    values(path + ".type", m.type(), null);
    values(path + ".source", m.source(), null);
    m.labels().forEach((label, vals) -> values(path + ".labels." + label, vals, null));
  }

  private void values(String path, List<String> values, Set<String> allowed) {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      String p = values.size() == 1 ? path : path + "[" + i + "]";
      if (v == null) {
        problem(p, "null", "must be a value or ~regex");
      } else if (v.startsWith("~")) {
        try {
          Pattern.compile(v.substring(1));
        } catch (PatternSyntaxException e) {
          problem(p, quote(v), "must be a valid regular expression: " + e.getDescription());
        }
      } else if (allowed != null && !allowed.contains(v.toLowerCase(Locale.ROOT))) {
        problem(
            p, quote(v), "must be one of " + allowed.stream().sorted().toList() + " or a ~regex");
      }
    }
  }

  private void templates() {
    config
        .templates()
        .forEach(
            (name, t) -> {
              String path = "templates." + name;
              if (t == null) {
                problem(path, null, "must be a mapping with subject and text and/or html");
                return;
              }
              if (blank(t.subject())) {
                problem(path + ".subject", quote(t.subject()), "is required");
              }
              if (t.text() == null && t.html() == null) {
                problem(path, null, "must have a text or an html body template, or both");
              }
              readable(path + ".text", t.text());
              readable(path + ".html", t.html());
            });
  }

  private void readable(String path, String file) {
    if (file != null && !Files.isReadable(Path.of(file))) {
      problem(
          path,
          quote(file),
          "must be a readable file (relative paths resolve against the"
              + " configuration file's folder)");
    }
  }

  void positive(String path, java.time.Duration d) {
    if (d.isZero() || d.isNegative()) {
      problem(path, Durations.format(d), "must be longer than zero");
    }
  }

  void positive(String path, Integer n) {
    if (n < 1) {
      problem(path, n.toString(), "must be at least 1");
    }
  }

  void problem(String path, String found, String rule) {
    problems.add(new ConfigProblem(path, found, rule));
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  static String quote(String s) {
    return s == null ? "nothing" : '"' + s + '"';
  }
}
