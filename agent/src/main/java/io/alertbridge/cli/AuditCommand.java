package io.alertbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.audit.AuditSearch;
import io.alertbridge.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code alertbridge audit}: the auditor's look-up, from an event id to a queue ID and back. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Find audit lines in the audit log and its rotations (.1, .2.gz, -20261129, …), oldest first.",
      "--event-id also shows the mail that covers a suppressed event, with its queue ID.",
      "Exit code 0 when something matched, 1 when nothing did, 2 on a usage error."
    })
final class AuditCommand implements Callable<Integer> {
  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = "The audit log (default: audit.file of --config, else audit/audit.jsonl).")
  Path file;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Read the audit log's path from this configuration.")
  Path config;

  @Option(names = "--event-id", paramLabel = "ID", description = "An event id.")
  String eventId;

  @Option(names = "--queue-id", paramLabel = "Q", description = "A queue ID from a server's reply.")
  String queueId;

  @Option(
      names = "--message-id",
      paramLabel = "M",
      description = "A Message-ID, with or without <>.")
  String messageId;

  @Option(
      names = "--status",
      paramLabel = "S",
      description = "sent, rejected, uncertain, invalid, dead-lettered, suppressed or skewed.")
  String status;

  @Option(
      names = "--since",
      paramLabel = "T",
      description = "From this time: 2026-11-29T14:05:00Z or a date (UTC midnight).")
  String since;

  @Option(names = "--until", paramLabel = "T", description = "Before this time (same forms).")
  String until;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (one readable line each) or json (the lines as written). Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path log = file;
    if (log == null) {
      log =
          config != null
              ? Path.of(new ConfigLoader(System.getenv()).load(config).audit().file())
              : Path.of("audit/audit.jsonl");
    }
    AuditSearch.Query q =
        new AuditSearch.Query(
            eventId, queueId, messageId, status, time("--since", since), time("--until", until));
    AuditSearch.Result r = AuditSearch.search(log, q);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (r.files().isEmpty()) {
      err.printf("alertbridge: no audit log at %s%n", log);
    }
    for (AuditSearch.Match m : r.matches()) {
      out.println(format == OutputFormat.json ? m.line() : text(m.json()));
    }
    if (r.unreadable() > 0) {
      err.printf("alertbridge: %d line(s) were not JSON and were skipped%n", r.unreadable());
    }
    out.flush();
    err.flush();
    return r.matches().isEmpty() ? Main.FAILED : Main.OK;
  }

  private Instant time(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return value.length() == 10
          ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          option
              + " must be an instant such as 2026-11-29T14:05:00Z or a date 2026-11-29, found "
              + value);
    }
  }

  /** time status route events → recipients queue-id message-id reason/reply */
  static String text(JsonNode l) {
    List<String> ids = new ArrayList<>();
    l.path("event_ids").forEach(e -> ids.add(e.asText()));
    List<String> to = new ArrayList<>();
    l.path("recipients").forEach(e -> to.add(e.asText()));
    StringBuilder sb = new StringBuilder();
    sb.append(l.path("time").asText())
        .append(' ')
        .append(l.path("status").asText())
        .append(" route=")
        .append(l.path("route").asText("-"))
        .append(" events=")
        .append(ids.isEmpty() ? "-" : String.join(",", ids));
    if (!to.isEmpty()) {
      sb.append(" to=").append(String.join(",", to));
    }
    if (!l.path("smtp_server").isNull() && l.has("smtp_server")) {
      sb.append(" server=").append(l.path("smtp_server").asText());
    }
    if (!l.path("queue_id").isNull() && l.has("queue_id")) {
      sb.append(" queue_id=").append(l.path("queue_id").asText());
    }
    if (!l.path("message_id").isNull() && l.has("message_id")) {
      sb.append(" message_id=").append(l.path("message_id").asText());
    }
    if (!l.path("reply_code").isNull() && l.has("reply_code")) {
      sb.append(" reply=\"")
          .append(l.path("reply_code").asText())
          .append(' ')
          .append(l.path("reply_text").asText())
          .append('"');
    }
    if (!l.path("reason").isNull() && l.has("reason")) {
      sb.append(" reason=\"").append(l.path("reason").asText()).append('"');
    }
    return sb.toString();
  }
}
