package io.alertbridge.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.audit.AuditRecord;
import io.alertbridge.audit.AuditSearch;
import io.alertbridge.audit.RecentAudit;
import io.alertbridge.kafka.AlertConsumer;
import io.alertbridge.smtp.pool.SmtpPool;
import io.alertbridge.web.StatusPage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/** The status page's view of a running daemon. */
final class StatusSource implements StatusPage.Source {
  /**
   * What one status-page search may cost: a page answers within seconds, and 200 lines are more
   * than a browser shows usefully. The byte bound keeps a multi-GB log from being read on every
   * request; {@code alertbridge audit} searches all of it.
   */
  static final AuditSearch.Budget PAGE_SEARCH =
      new AuditSearch.Budget(Duration.ofSeconds(5), 256L * 1024 * 1024, 200);

  /**
   * One search at a time: two searches would only halve each other's speed on the same disk, and
   * each holds a page thread.
   */
  private final Semaphore searching = new Semaphore(1);

  private final String version;
  private final Instant started;
  private final Clock clock;
  private final SmtpPool smtp;
  private final AlertConsumer consumer;
  private final RecentAudit recent;
  private final Path auditFile;
  private final java.util.Optional<PolicyRun> policy;

  StatusSource(
      String version,
      Clock clock,
      SmtpPool smtp,
      AlertConsumer consumer,
      RecentAudit recent,
      Path auditFile,
      java.util.Optional<PolicyRun> policy) {
    this.policy = policy;
    this.version = version;
    this.clock = clock;
    this.started = clock.instant();
    this.smtp = smtp;
    this.consumer = consumer;
    this.recent = recent;
    this.auditFile = auditFile;
  }

  /** The open incidents whose groups this instance's policy tasks hold (issue 18). */
  @Override
  public List<StatusPage.Incident> incidents() {
    return policy
        .map(p -> p.incidents(INCIDENTS))
        .map(
            f ->
                f.incidents().stream()
                    .map(
                        i ->
                            new StatusPage.Incident(
                                i.route(),
                                i.group(),
                                i.labels(),
                                i.since(),
                                i.firing(),
                                i.firstMail(),
                                i.ackBy(),
                                i.ackAt(),
                                i.ackChannel(),
                                i.ackUntil(),
                                i.escalated(),
                                i.steps()))
                    .toList())
        .orElse(List.of());
  }

  /** The page lists 100 and counts the rest ("and N more") as far as this bound. */
  static final int INCIDENTS = 1000;

  @Override
  public String version() {
    return version;
  }

  @Override
  public Duration uptime() {
    return Duration.between(started, clock.instant());
  }

  @Override
  public List<StatusPage.Server> servers() {
    return smtp.status().stream()
        .map(
            s ->
                new StatusPage.Server(
                    s.name(), s.circuit(), s.busy(), s.connections(), s.lastReply()))
        .toList();
  }

  @Override
  public List<StatusPage.Partition> partitions() {
    return consumer.status().partitions().stream()
        .map(
            p ->
                new StatusPage.Partition(
                    p.topic(), p.partition(), p.lag(), p.inFlight(), p.paused()))
        .toList();
  }

  @Override
  public List<StatusPage.Line> recent() {
    return recent.recent().stream().map(StatusSource::line).toList();
  }

  @Override
  public StatusPage.Found search(String query) throws IOException {
    if (!searching.tryAcquire()) {
      return new StatusPage.Found(
          List.of(), "another search is running; try again when it has finished");
    }
    try {
      AuditSearch.Result r =
          AuditSearch.search(auditFile, AuditSearch.Query.anyId(query), PAGE_SEARCH, clock);
      return new StatusPage.Found(
          r.matches().stream().map(m -> line(m.json())).toList(),
          r.stoppedBy() == null
              ? null
              : "stopped at "
                  + r.stoppedBy()
                  + "; alertbridge audit on the host searches the whole log");
    } finally {
      searching.release();
    }
  }

  private static StatusPage.Line line(AuditRecord r) {
    return new StatusPage.Line(
        r.time().toString(),
        r.status().wireName(),
        String.join(", ", r.eventIds()),
        r.route(),
        String.join(", ", r.recipients()),
        r.replyCode() != null ? r.replyCode() + " " + r.replyText() : r.reason(),
        r.queueId(),
        r.messageId());
  }

  private static StatusPage.Line line(JsonNode j) {
    List<String> ids = new ArrayList<>();
    j.path("event_ids").forEach(e -> ids.add(e.asText()));
    List<String> to = new ArrayList<>();
    j.path("recipients").forEach(e -> to.add(e.asText()));
    return new StatusPage.Line(
        j.path("time").asText(),
        j.path("status").asText(),
        String.join(", ", ids),
        j.path("route").asText(null),
        String.join(", ", to),
        j.hasNonNull("reply_code")
            ? j.path("reply_code").asText() + " " + j.path("reply_text").asText()
            : j.path("reason").asText(null),
        j.path("queue_id").asText(null),
        j.path("message_id").asText(null));
  }
}
