package io.alertbridge.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertbridge.embedded.SmtpSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
 * is shown as text, not markup. A screenshot goes to target/status-page.png.
 */
@ExtendWith(KafkaFixture.class)
class StatusPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  @TempDir Path dir;

  @Test
  void thePageShowsTheQueueIdOfAMailJustSentAndItsSearchFindsTheAlert(KafkaFixture.Broker kafka)
      throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "CI must have chromium and chromedriver");
      Assumptions.abort("needs apt-get install chromium chromium-driver");
    }
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
      WebDriver browser = new ChromeDriver(service, options);
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
}
