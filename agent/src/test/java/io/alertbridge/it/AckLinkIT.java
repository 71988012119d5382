package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The acknowledge link of issue 18 in a real browser (Debian's headless Chromium), against two
 * daemons on one real broker: the link from a mail's HTML part, opened on the instance that does
 * not hold the incident's group (as a load balancer in front of both may send it), shows what it
 * would do and changes nothing; its button acknowledges through {@code STATE-responses} at the
 * instance that holds the group; an altered token is refused; and the link pressed again after the
 * incident resolved is audited as refused.
 */
@ExtendWith(KafkaFixture.class)
class AckLinkIT {
  private static final String CHIEF = "chief.engineer@plant.example";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LINK = Pattern.compile("href=\"([^\"]*/ack/[^\"]+)\"");

  private static final String ROUTES =
      """
      routes:
        - name: engine
          match: {labels: {room: engine}}
          to: [chief.engineer@plant.example]
          template: overtemp
          group-by: [labels.site]
          group-wait: 1s
          group-interval: 2s
          repeat-interval: 1h
        - name: default
          to: [ops@plant.example]
          template: plain
          group-wait: 0s
      """;

  @TempDir Path dir;

  /** The configuration of one instance: its own listener, the links of the shared public URL. */
  private String config(int listen, String publicUrl, Path key) {
    return PolicyRuns.config(ROUTES, "  max-event-age: 1h\n")
        .replace(
            "audit:\n",
            "http:\n  listen: 127.0.0.1:"
                + listen
                + "\n  public-url: "
                + publicUrl
                + "\n  link-key-file: "
                + key
                + "\naudit:\n");
  }

  private Path linkKey() throws Exception {
    Path key = dir.resolve("links.key");
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Files.write(key, random);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return key;
  }

  /** A port free now; the daemon binds it moments later, and public-url must name it first. */
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static List<JsonNode> lines(RunningDaemon a, RunningDaemon b, String status) {
    return Stream.concat(a.audit().stream(), b.audit().stream())
        .filter(l -> l.get("status").asText().equals(status))
        .toList();
  }

  private static List<MimeMessage> mailsTo(SmtpSink sink, String to) throws Exception {
    List<MimeMessage> out = new ArrayList<>();
    for (SmtpSink.Received r : sink.received()) {
      if (r.recipients().contains(to)) {
        out.add(PolicyRuns.parse(r));
      }
    }
    return out;
  }

  private static boolean anySubject(SmtpSink sink, String prefix) throws Exception {
    for (MimeMessage m : mailsTo(sink, CHIEF)) {
      if (m.getSubject().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The text/html part of a mail, however deep in its multiparts. */
  private static String html(Part p) throws Exception {
    if (p.isMimeType("text/html")) {
      return (String) p.getContent();
    }
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        BodyPart part = mp.getBodyPart(i);
        String h = html(part);
        if (h != null) {
          return h;
        }
      }
    }
    return null;
  }

  /** The href of the mail's "Acknowledge" link, as a mail client would follow it. */
  private static String ackLink(MimeMessage mail) throws Exception {
    String h = html(mail);
    assertThat(h).as("the HTML part").isNotNull().contains(">Acknowledge</a>");
    Matcher m = LINK.matcher(h);
    assertThat(m.find()).as("an acknowledge link in " + h).isTrue();
    return m.group(1).replace("&amp;", "&");
  }

  /** The link with one character in the middle of its token changed. */
  private static String altered(String link) {
    int at = link.lastIndexOf('/') + 1 + (link.length() - link.lastIndexOf('/') - 1) / 2;
    char c = link.charAt(at);
    return link.substring(0, at) + (c == 'A' ? 'B' : 'A') + link.substring(at + 1);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Whether this instance's policy tasks hold an open incident (its status page lists it). */
  private static boolean holdsTheIncident(RunningDaemon d) throws Exception {
    return get(d.httpBase() + "/").body().contains("Open incidents: 1,");
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void theLinkShowsOnGetAcknowledgesOnPostRefusesAnAlteredTokenAndAReplayAfterResolution(
      KafkaFixture.Broker kafka) throws Exception {
    StatusPageIT.needChromium();
    String topic = RunningDaemon.newTopic(kafka, 2);
    String group = "link-" + UUID.randomUUID();
    Path key = linkKey();
    int portA = freePort();
    int portB = freePort();
    String publicUrl = "http://127.0.0.1:" + portA;
    SmtpSink sink = SmtpSink.start();
    try (RunningDaemon a =
            RunningDaemon.start(
                kafka, dir.resolve("a"), sink.port(), config(portA, publicUrl, key), topic, group);
        RunningDaemon b =
            RunningDaemon.start(
                kafka,
                dir.resolve("b"),
                sink.port(),
                config(portB, publicUrl, key),
                topic,
                group)) {
      RunningDaemon.produce(
          kafka, List.of(PolicyRuns.record(topic, PolicyRuns.reading("link-1", "T1", "firing"))));
      await().atMost(Duration.ofSeconds(60)).until(() -> !mailsTo(sink, CHIEF).isEmpty());
      MimeMessage alert = mailsTo(sink, CHIEF).get(0);
      assertThat(alert.getSubject()).startsWith("[FIRING]");
      String link = ackLink(alert);
      assertThat(link).startsWith(publicUrl + "/ack/");

      // Opened at the instance that does not hold the group: the POST must reach the owner's task.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> holdsTheIncident(a) != holdsTheIncident(b));
      RunningDaemon owner = holdsTheIncident(a) ? a : b;
      RunningDaemon other = owner == a ? b : a;
      String path = link.substring(publicUrl.length());
      String url = other.httpBase() + path;

      ChromeDriver browser = StatusPageIT.browser();
      try {
        browser.get(url);
        assertThat(browser.getTitle()).isEqualTo("alertbridge: Acknowledge an alert");
        assertThat(browser.findElement(By.id("recipient")).getText()).isEqualTo(CHIEF);
        assertThat(browser.findElement(By.id("ack-button")).getText()).isEqualTo("Acknowledge");
        screenshot(browser, "ack-link-page.png");
        // Mail scanners fetch links too: showing the page must change nothing, and the page keeps
        // its URL (the token) out of caches and Referer headers.
        HttpResponse<String> scanned = get(url);
        assertThat(scanned.statusCode()).isEqualTo(200);
        assertThat(scanned.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(scanned.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        Thread.sleep(3000);
        assertThat(lines(a, b, "acknowledged")).isEmpty();
        assertThat(lines(a, b, "ack-refused")).isEmpty();

        browser.findElement(By.id("ack-button")).click();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !browser.findElements(By.id("done")).isEmpty());
        assertThat(browser.getTitle()).isEqualTo("alertbridge: Sent");
        assertThat(browser.findElement(By.id("done")).getText())
            .isEqualTo(
                "Acknowledgement sent for "
                    + CHIEF
                    + "; everyone who got the alert will receive a confirmation by mail.");
        await().atMost(Duration.ofSeconds(30)).until(() -> !lines(a, b, "acknowledged").isEmpty());
        JsonNode acked = lines(a, b, "acknowledged").get(0);
        assertThat(acked.get("ack").get("by").asText()).isEqualTo(CHIEF);
        assertThat(acked.get("ack").get("channel").asText()).isEqualTo("link");
        await().atMost(Duration.ofSeconds(30)).until(() -> anySubject(sink, "[ACKNOWLEDGED]"));
        MimeMessage confirmation =
            mailsTo(sink, CHIEF).stream()
                .filter(m -> subject(m).startsWith("[ACKNOWLEDGED]"))
                .findFirst()
                .orElseThrow();
        assertThat(confirmation.getHeader("In-Reply-To")[0]).isEqualTo(alert.getMessageID());
        assertThat(confirmation.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");

        // The task that holds the group applied it: its instance's status page shows who took the
        // incident on. (The audit line itself is written by whichever instance delivers the
        // policy's output partition, so the audit file does not tell the owner.)
        // A status page shows the groups its instance's tasks hold at that moment: a rebalance
        // may move the task, and its store is not queryable while it restores. Whichever holds it.
        RunningDaemon[] holder = {owner};
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  for (RunningDaemon d : List.of(owner, other)) {
                    if (get(d.httpBase() + "/")
                        .body()
                        .contains("Open incidents: 1, unacknowledged: 0")) {
                      holder[0] = d;
                      return true;
                    }
                  }
                  return false;
                });
        browser.get(holder[0].httpBase() + "/");
        assertThat(browser.findElement(By.id("incidents-heading")).getText())
            .isEqualTo("Open incidents: 1, unacknowledged: 0");
        assertThat(browser.findElement(By.id("incidents")).getText())
            .contains("by " + CHIEF)
            .contains("by link")
            .contains("until resolved");

        // One character changed in the middle of the token: refused, in the browser and to a POST.
        String bad = altered(url);
        browser.get(bad);
        assertThat(browser.getTitle()).isEqualTo("alertbridge: Link refused");
        assertThat(browser.findElement(By.id("refusal")).getText())
            .isEqualTo("the link is damaged or was altered");
        assertThat(browser.findElements(By.id("ack-button"))).isEmpty();
        assertThat(get(bad).statusCode()).isEqualTo(400);
        HttpResponse<String> posted =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(bad))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(400);

        // The incident resolves; the same link pressed again is refused and says why.
        RunningDaemon.produce(
            kafka,
            List.of(PolicyRuns.record(topic, PolicyRuns.reading("link-2", "T1", "resolved"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> anySubject(sink, "[RESOLVED]"));
        MimeMessage resolved =
            mailsTo(sink, CHIEF).stream()
                .filter(m -> subject(m).startsWith("[RESOLVED]"))
                .findFirst()
                .orElseThrow();
        assertThat(html(resolved)).as("nothing left to acknowledge").doesNotContain("/ack/");
        browser.get(url);
        browser.findElement(By.id("ack-button")).click();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !browser.findElements(By.id("done")).isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> !lines(a, b, "ack-refused").isEmpty());
        JsonNode refused = lines(a, b, "ack-refused").get(0);
        assertThat(refused.get("reason").asText()).contains("the incident is over");
        assertThat(refused.get("ack").get("by").asText()).isEqualTo(CHIEF);
        assertThat(refused.get("ack").get("channel").asText()).isEqualTo("link");
        assertThat(lines(a, b, "acknowledged"))
            .as("the altered link acknowledged nothing")
            .hasSize(1);
        assertThat(lines(a, b, "ack-refused")).hasSize(1);
      } finally {
        browser.quit();
      }
    } finally {
      sink.close();
    }
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
