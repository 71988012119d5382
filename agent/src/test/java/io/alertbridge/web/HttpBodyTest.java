package io.alertbridge.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Request bodies: read by the selector within the request's deadline, bounded, by length only. */
class HttpBodyTest {
  private OperatorServer op;

  @BeforeEach
  void start() throws Exception {
    op = new OperatorServer(true);
  }

  @AfterEach
  void close() {
    op.close();
  }

  private static String silence() {
    Instant now = Instant.now();
    return "{\"matchers\":[{\"name\":\"sensor\",\"value\":\"T3\",\"isRegex\":false}],"
        + "\"startsAt\":\""
        + now
        + "\",\"endsAt\":\""
        + now.plusSeconds(3600)
        + "\",\"createdBy\":\"x\",\"comment\":\"c\"}";
  }

  private static String head(int length, String... more) {
    return "POST /api/v2/silences HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + OperatorServer.ALICE
        + "\r\nContent-Length: "
        + length
        + "\r\n"
        + String.join("", more)
        + "\r\n";
  }

  private Socket open() throws Exception {
    Socket s = new Socket(op.page().getAddress(), op.page().getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void aBodyArrivingInPiecesIsReadWhole() throws Exception {
    byte[] body = silence().getBytes(StandardCharsets.UTF_8);
    try (Socket s = open()) {
      OutputStream out = s.getOutputStream();
      out.write(head(body.length).getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 10);
      out.flush();
      TimeUnit.MILLISECONDS.sleep(200);
      out.write(body, 10, body.length - 10);

      RawHttp.Reply r =
          RawHttp.parse(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).startsWith("{\"silenceID\":");
    }
    assertThat(op.store.all()).hasSize(1);
  }

  @Test
  void aBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
    RawHttp.Reply r = RawHttp.send(op.page(), head(64 * 1024 + 1));

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.body()).isEqualTo("request body over 65536 bytes\n");
  }

  @Test
  void aChunkedBodyIsRefusedAsLengthRequired() throws Exception {
    RawHttp.Reply r =
        RawHttp.send(
            op.page(),
            "POST /api/v2/silences HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n");

    assertThat(r.status()).isEqualTo(411);
    assertThat(r.body()).contains("Content-Length");
  }

  @Test
  void conflictingLengthsAreABadRequest() throws Exception {
    RawHttp.Reply r = RawHttp.send(op.page(), head(5, "Content-Length: 6\r\n") + "hello!");

    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void aClientThatStopsSendingItsBodyIsResetAtTheRequestDeadlineWithoutHoldingAThread()
      throws Exception {
    try (Socket slow = open()) {
      slow.getOutputStream()
          .write((head(100) + "{\"matchers\"").getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();

      // The selector holds the half body; the threads are free for others meanwhile.
      assertThat(RawHttp.request(op.page(), "GET", "/healthz", null).status()).isEqualTo(200);
      assertThat(RawHttp.request(op.page(), "GET", "/api/v2/silences", null).status())
          .isEqualTo(200);
      InputStream in = slow.getInputStream();
      assertThatThrownBy(in::read)
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
      // The limits give the request 2 s from accept to its last body byte.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
    assertThat(op.store.all()).isEmpty();
  }

  @Test
  void aKeepAlivePostIsAnsweredWholeAndTheConnectionClosedAfterIt() throws Exception {
    byte[] body = silence().getBytes(StandardCharsets.UTF_8);
    try (Socket s = open()) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write(
          head(body.length, "Connection: keep-alive\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      // A pipelined request after the body is not mistaken for part of it.
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      // readAllBytes ends at the server's close, well before the 1 s read timeout.
      RawHttp.Reply r =
          RawHttp.parse(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers().get("connection")).isEqualTo("close");
      assertThat(r.body()).startsWith("{\"silenceID\":").doesNotContain("HTTP/1.1");
    }
    assertThat(op.store.all()).hasSize(1);
    assertThat(RawHttp.request(op.page(), "GET", "/api/v2/silences", null).body()).contains("T3");
  }
}
