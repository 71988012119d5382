package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.alertbridge.embedded.SmtpSink;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import io.alertbridge.web.InMemorySilenceStore;
import io.alertbridge.web.OperatorServer;
import io.alertbridge.web.RecordingWriteLog;
import io.alertbridge.web.Reloader;
import io.alertbridge.web.Tokens;
import io.alertbridge.web.WebServer;
import io.alertbridge.web.Writes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page in a real browser (Debian's headless Chromium through chromedriver): it shows the
 * queue ID of a mail just sent, its search finds the alert by that queue ID, and a hostile event id
 * is shown as text, not markup. A screenshot goes to target/status-page.png. Its silence forms add
 * and expire a silence without a script, and a form posted to it from another origin changes
 * nothing.
 */
@ExtendWith(KafkaFixture.class)
class StatusPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static final String TOKEN = "alice-status-page-token-5d1e";

  @TempDir Path dir;

  static void needChromium() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must have chromium and chromedriver");
      Assumptions.abort("needs apt-get install chromium chromium-driver");
    }
  }

  static ChromeDriver browser() {
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  @Test
  void thePageShowsTheQueueIdOfAMailJustSentAndItsSearchFindsTheAlert(KafkaFixture.Broker kafka)
      throws Exception {
    needChromium();
    SmtpSink sink = SmtpSink.start();
    String hostile = "<img src=x onerror=alert(1)>";
    try (RunningDaemon d = RunningDaemon.start(kafka, dir, sink.port(), MetricsIT.WITH_HTTP)) {
      String base = d.httpBase();
      d.produce(Events.critical("sp-1", "Overtemp in the engine room: 98.4 °C", "T3 hot"));
      d.produce(Events.info(hostile, "Bilge pump running", ""));
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> d.audit().size() == 2);
      JsonNode sent =
          d.audit().stream()
              .filter(l -> l.path("event_id").asText().equals("sp-1"))
              .findFirst()
              .orElseThrow();
      String queueId = sent.path("queue_id").asText();
      assertThat(queueId).isNotBlank();

      WebDriver browser = browser();
      try {
        browser.get(base + "/");
        assertThat(browser.getTitle()).isEqualTo("alertbridge");
        assertThat(browser.findElement(By.id("servers")).getText())
            .contains("127.0.0.1:" + sink.port())
            .contains("closed")
            .contains("250 2.0.0 Ok: queued as");
        assertThat(browser.findElement(By.id("partitions")).getText()).contains(d.topic);
        WebElement recent = browser.findElement(By.id("recent"));
        assertThat(recent.getText()).contains(queueId).contains("sp-1").contains(hostile);
        // The hostile id is text: no image element was made from it.
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target/status-page.png"), StandardCopyOption.REPLACE_EXISTING);

        WebElement q = browser.findElement(By.id("q"));
        q.sendKeys(queueId);
        q.submit();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !browser.findElements(By.id("found")).isEmpty());
        assertThat(browser.findElement(By.id("results")).getText()).isEqualTo("Search: 1 line(s)");
        assertThat(browser.findElement(By.id("found")).getText())
            .contains("sp-1")
            .contains(queueId)
            .contains("engine-critical");
      } finally {
        browser.quit();
      }
    } finally {
      sink.close();
    }
  }

  @Test
  void theFormsAddAndExpireASilenceAndAPostFromAnotherOriginChangesNothing() throws Exception {
    needChromium();
    InMemorySilenceStore store = new InMemorySilenceStore(Clock.systemUTC());
    RecordingWriteLog log = new RecordingWriteLog();
    Writes writes = new Writes(store, Tokens.of(Map.of("alice", TOKEN)), Reloader.Result::ok, log);
    HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    try (WebServer server =
        WebServer.bind(
            List.of(
                new WebServer.Listener(
                    "http.listen", new InetSocketAddress("127.0.0.1", 0), true)))) {
      server.start(
          new PrometheusRegistry(),
          new OperatorServer.Up(),
          new OperatorServer.EmptySource(),
          writes);
      String base = "http://127.0.0.1:" + server.address().getPort();
      ChromeDriver browser = browser();
      try {
        browser.get(base + "/");
        browser.findElement(By.id("matchers")).sendKeys("labels.sensor=T3\ntype=Overtemp");
        browser.findElement(By.id("duration")).clear();
        browser.findElement(By.id("duration")).sendKeys("2h");
        browser.findElement(By.id("comment")).sendKeys("T3 <replaced>");
        browser.findElement(By.id("add-token")).sendKeys(TOKEN);
        browser.findElement(By.id("add-button")).click();

        await().atMost(Duration.ofSeconds(10)).until(() -> store.unexpired().size() == 1);
        Silence s = store.unexpired().get(0);
        assertThat(s.matchers())
            .containsExactly(Matcher.parse("labels.sensor=T3"), Matcher.parse("type=Overtemp"));
        assertThat(s.createdBy()).isEqualTo("alice");
        // Post, redirect, get: the browser is back on the page, which lists the new silence.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> browser.getCurrentUrl().endsWith("/#silences"));
        assertThat(browser.findElement(By.id("silences")).getText())
            .contains("labels.sensor=\"T3\"")
            .contains("alice")
            .contains("T3 <replaced>")
            .contains("ends in 1 h 59 min");
        assertThat(browser.getPageSource()).doesNotContain(TOKEN);
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(
            shot, Path.of("target/status-page-silences.png"), StandardCopyOption.REPLACE_EXISTING);

        browser.findElement(By.id("expire-token")).sendKeys(TOKEN);
        browser.findElement(By.xpath("//button[@value='" + s.id() + "']")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.unexpired().isEmpty());
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    browser.findElement(By.id("silences-heading")).getText().equals("Silences: 0"));
        assertThat(log.lines())
            .containsExactly("added " + s.id() + " by alice", "expired " + s.id() + " by alice");

        // The other origin knows everything: the token and even a fresh form token of our page.
        serveAttackerPage(attacker, base, TOKEN, csrfOf(base));
        browser.get("http://localhost:" + attacker.getAddress().getPort() + "/");
        browser.findElement(By.id("go")).click();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> browser.getPageSource().contains("cross-site form post refused"));
        assertThat(store.all()).hasSize(1);
        assertThat(store.unexpired()).isEmpty();
        assertThat(log.lines()).hasSize(2);
      } finally {
        browser.quit();
      }
    } finally {
      attacker.stop(0);
    }
  }

  private static String csrfOf(String base) throws Exception {
    String page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    java.util.regex.Matcher m =
        Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** A page of another origin with a form that posts a complete silence to the status page. */
  private static void serveAttackerPage(
      HttpServer attacker, String base, String token, String csrf) {
    String html =
        "<!DOCTYPE html><html><body><form method=\"post\" action=\""
            + base
            + "/silences\"><input type=\"hidden\" name=\"csrf\" value=\""
            + csrf
            + "\"><input type=\"hidden\" name=\"token\" value=\""
            + token
            + "\"><input type=\"hidden\" name=\"matchers\" value=\"labels.sensor=T9\">"
            + "<input type=\"hidden\" name=\"duration\" value=\"24h\">"
            + "<input type=\"hidden\" name=\"comment\" value=\"pwned\">"
            + "<button id=\"go\" type=\"submit\">win a prize</button></form></body></html>";
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    attacker.createContext(
        "/",
        x -> {
          x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          x.sendResponseHeaders(200, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    attacker.start();
  }
}
