package io.alertbridge.web;

import static io.alertbridge.web.StatusPage.esc;

import io.alertbridge.ack.AckLinks;
import io.alertbridge.ack.Response;
import io.alertbridge.ack.ResponseWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page behind a notification's "Acknowledge" link, {@code /ack/{token}} on the status-page
 * listeners. GET (and HEAD) only shows what the link would do: mail scanners and link previews
 * fetch every link in a mail, and must not acknowledge an alarm nobody read. The page's form POSTs
 * the same URL, and only that POST writes the acknowledgement to {@code STATE-responses}; the
 * policy decides there whether it takes effect (once per link, never after the incident resolved).
 *
 * <p>The token in the path is the capability, so no {@code http.auth} token is asked for. It is
 * also a secret: responses forbid caching and Referer, and logs show only its first characters.
 */
public final class AckPage {
  private static final Logger log = LoggerFactory.getLogger(AckPage.class);
  static final String PREFIX = "/ack/";

  /**
   * What the link page needs: the daemon gives it when {@code http.public-url} is configured.
   *
   * @param links verifies a link's token with the key that signed it
   * @param writer writes the acknowledgement where the incident's policy task reads it
   * @param clock for expiry and the time the acknowledgement was received
   */
  public record Links(AckLinks links, ResponseWriter writer, Clock clock) {
    public Links {
      Objects.requireNonNull(links, "links");
      Objects.requireNonNull(writer, "writer");
      Objects.requireNonNull(clock, "clock");
    }
  }

  private final Links links;

  AckPage(Links links) {
    this.links = links;
  }

  static boolean serves(String path) {
    return path.startsWith(PREFIX);
  }

  /** Whether the request may write, and so belongs on the writers' thread. */
  static boolean writes(HttpRequest r) {
    return r.method().equals("POST");
  }

  HttpResponse handle(HttpRequest r) {
    String token = r.path().substring(PREFIX.length());
    boolean post = r.method().equals("POST");
    if (!post && !r.method().equals("GET") && !r.method().equals("HEAD")) {
      return page(405, "Method not allowed", "<p>Open the link in a browser.</p>")
          .with("Allow", "GET, HEAD, POST");
    }
    if (post) {
      String crossSite = Csrf.crossSite(r, true);
      if (crossSite != null) {
        log.info("Acknowledge link {} refused: {}", redact(token), crossSite);
        return page(403, "Refused", "<p>" + esc(crossSite) + "</p>");
      }
    }
    AckLinks.Checked checked = links.links().verify(token, links.clock().instant());
    if (!checked.ok()) {
      return refused(token, checked.refusal(), post);
    }
    return post ? acknowledge(token, checked.link()) : confirm(token, checked.link());
  }

  private HttpResponse confirm(String token, AckLinks.Link link) {
    boolean ack = link.action() == AckLinks.Action.ACK;
    StringBuilder b = new StringBuilder(1024);
    b.append("<p id=\"what\">")
        .append(ack ? "Acknowledge" : "Withdraw the acknowledgement of")
        .append(" the alert incident that began at <strong>")
        .append(esc(StatusPage.time(Instant.ofEpochMilli(link.ref().incident()))))
        .append("</strong>, as <strong id=\"recipient\">")
        .append(esc(link.recipient()))
        .append("</strong>, to whom this link was sent.</p><p>")
        .append(
            ack
                ? "This stops reminders and escalation for the incident; everyone who got the"
                    + " alert is told by mail."
                : "Reminders and escalation resume for the incident.")
        .append("</p><p id=\"expires\">The link is valid until ")
        .append(esc(StatusPage.time(link.expires())))
        .append(".</p>")
        // Relative, so it posts the URL the page came from: with http.public-url behind a proxy
        // under a path (https://gw/alertbridge/ack/…), "/ack/…" would miss the prefix.
        .append("<form method=\"post\" action=\"")
        .append(esc(token))
        .append("\"><button type=\"submit\" id=\"ack-button\">")
        .append(ack ? "Acknowledge" : "Withdraw acknowledgement")
        .append("</button></form>");
    return page(200, ack ? "Acknowledge an alert" : "Withdraw an acknowledgement", b.toString());
  }

  private HttpResponse acknowledge(String token, AckLinks.Link link) {
    try {
      links.writer().write(link.ref(), new Response.Click(token, links.clock().millis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable(token, e);
    } catch (Exception e) {
      return unavailable(token, e);
    }
    log.info(
        "Acknowledge link {} posted for {} ({}, {})",
        redact(token),
        link.recipient(),
        link.ref(),
        link.action());
    String what =
        link.action() == AckLinks.Action.ACK
            ? "Acknowledgement sent for "
            : "Withdrawal of the acknowledgement sent for ";
    return page(
        200,
        "Sent",
        "<p id=\"done\">"
            + what
            + esc(link.recipient())
            + "; everyone who got the alert will receive a confirmation by mail.</p>");
  }

  private static HttpResponse unavailable(String token, Exception e) {
    log.warn("Acknowledge link {} not recorded: {}", redact(token), e.toString());
    return page(
            503,
            "Not recorded",
            "<p id=\"failed\">could not record the acknowledgement, try again</p>")
        .with("Retry-After", "10");
  }

  private static HttpResponse refused(String token, AckLinks.Refusal why, boolean post) {
    // Scanners GET links too, and a GET changes nothing: only a refused POST is worth a line.
    if (post) {
      log.info("Acknowledge link {} refused: {}", redact(token), why.text());
    } else {
      log.debug("Acknowledge link {} shown as refused: {}", redact(token), why.text());
    }
    int status = why == AckLinks.Refusal.EXPIRED ? 410 : 400;
    return page(status, "Link refused", "<p id=\"refusal\">" + esc(why.text()) + "</p>");
  }

  private static HttpResponse page(int status, String title, String body) {
    String html =
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width\">"
            + "<title>alertbridge: "
            + esc(title)
            + "</title><style>body{font-family:sans-serif;margin:1.5em;color:#222}"
            + "button{font-size:120%;padding:.4em 1.2em}</style></head><body><h1>"
            + esc(title)
            + "</h1>"
            + body
            + "</body></html>\n";
    return HttpResponse.of(status, "text/html; charset=utf-8", html)
        .with("Content-Security-Policy", WebServer.CSP)
        .with("Referrer-Policy", "no-referrer");
  }

  /**
   * Enough of a token to tell two apart in a log, too little to use: the whole one acknowledges.
   * Characters a link never has are masked, so a crafted path cannot write into the log.
   */
  static String redact(String token) {
    String prefix = token.substring(0, Math.min(6, token.length()));
    return prefix.replaceAll("[^A-Za-z0-9_-]", "?") + "…";
  }
}
