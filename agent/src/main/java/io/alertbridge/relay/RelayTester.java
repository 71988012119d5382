package io.alertbridge.relay;

import io.alertbridge.address.SmtpTarget;
import io.alertbridge.smtp.SmtpDialog;
import io.alertbridge.smtp.SmtpReply;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the open-relay probes against one server in one SMTP session: MAIL FROM, RCPT TO, RSET for
 * each, reconnecting if the server hangs up, QUIT at the end. Never DATA ({@link SmtpDialog}
 * refuses it), so not a single mail can leave.
 */
public final class RelayTester {
  private final SmtpDialog.Settings settings;

  public RelayTester(SmtpDialog.Settings settings) {
    this.settings = settings;
  }

  /**
   * @param localDomain the server's own domain, or null to take the name it gives in EHLO
   * @throws MessagingException when the server cannot be reached (or STARTTLS, when required,
   *     fails)
   */
  public RelayReport run(
      SmtpTarget server, String outsideDomain, String localDomain, String ipLiteral)
      throws MessagingException {
    List<String> transcript = new ArrayList<>();
    Connection c = new Connection(server, transcript);
    try {
      String local = localDomain != null ? localDomain : c.greetingName();
      List<RelayResult> results = new ArrayList<>();
      for (RelayProbe p : RelayProbe.all(outsideDomain, local, ipLiteral)) {
        RelayResult r = c.probe(p);
        if (r == null) {
          return new RelayReport(server.toString(), outsideDomain, local, ipLiteral, true, results);
        }
        results.add(r);
      }
      return new RelayReport(server.toString(), outsideDomain, local, ipLiteral, false, results);
    } finally {
      c.close();
    }
  }

  /** The session, reopened when the server hangs up. */
  private final class Connection {
    private final SmtpTarget server;
    private final List<String> transcript;
    private SmtpDialog dialog;

    Connection(SmtpTarget server, List<String> transcript) throws MessagingException {
      this.server = server;
      this.transcript = transcript;
      this.dialog = SmtpDialog.open(server.host(), server.port(), settings, transcript);
    }

    /** The host name in the server's EHLO reply ({@code 250-mx.plant.example ...}). */
    String greetingName() {
      for (int i = transcript.size() - 1; i >= 0; i--) {
        String line = transcript.get(i);
        if (line.startsWith("250")) {
          String name = line.substring(4).split("[\\s\\n]", 2)[0];
          return name.isEmpty() ? server.host() : name;
        }
      }
      return server.host();
    }

    /** Runs one probe; null when the server demands authentication (530). */
    RelayResult probe(RelayProbe p) throws MessagingException {
      List<String> replies = new ArrayList<>();
      SmtpReply mail = send("MAIL FROM:" + p.mailFrom(), null);
      replies.add(mail.toString());
      if (mail.code() == 530) {
        return null;
      }
      if (!mail.isPositiveCompletion()) {
        rset();
        return new RelayResult(p.mailFrom(), p.rcptTo(), RelayResult.Verdict.SKIPPED, replies);
      }
      SmtpReply rcpt = send("RCPT TO:" + p.rcptTo(), "MAIL FROM:" + p.mailFrom());
      replies.add(rcpt.toString());
      if (rcpt.code() == 530) {
        return null;
      }
      rset();
      boolean relayed = rcpt.code() == 250 || rcpt.code() == 251;
      return new RelayResult(
          p.mailFrom(),
          p.rcptTo(),
          relayed ? RelayResult.Verdict.RELAYED : RelayResult.Verdict.REFUSED,
          replies);
    }

    /**
     * Sends a command; if the connection is gone, reconnects, replays {@code setup} (the MAIL FROM
     * a RCPT needs) and sends it again, once.
     */
    private SmtpReply send(String command, String setup) throws MessagingException {
      SmtpReply r = attempt(command);
      if (r.code() >= 0) {
        return r;
      }
      reconnect();
      if (setup != null && !attempt(setup).isPositiveCompletion()) {
        return r;
      }
      return attempt(command);
    }

    private SmtpReply attempt(String command) {
      try {
        return dialog.command(command);
      } catch (MessagingException e) {
        return new SmtpReply(-1, java.util.Optional.empty(), "connection lost: " + e.getMessage());
      }
    }

    private void rset() throws MessagingException {
      if (attempt("RSET").code() < 0) {
        reconnect();
      }
    }

    private void reconnect() throws MessagingException {
      dialog.close();
      transcript.add("(connection lost; reconnecting)");
      dialog = SmtpDialog.open(server.host(), server.port(), settings, transcript);
    }

    void close() {
      dialog.close();
    }
  }
}
