package io.alertbridge.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A small but real SMTP server on a loopback port that answers like Postfix ({@code 250 2.0.0 Ok:
 * queued as 4F3X2Y9ABC}) and keeps what it received. Its replies can be changed while it runs
 * ({@link Behaviour}), so tests can make it refuse with 4xx or 5xx and recover. For the demo and
 * the tests; the daemon never loads it.
 */
public final class SmtpSink implements AutoCloseable {
  /** Replies to the commands that decide a transaction's fate. */
  public interface Behaviour {
    default String mailFrom(String path) {
      return "250 2.1.0 Ok";
    }

    default String rcptTo(String path) {
      return "250 2.1.5 Ok";
    }

    /**
     * The reply to the final ".", or null to keep the message (as if queued) and close the
     * connection without replying: the ambiguous ending a client must treat as "maybe sent".
     */
    default String endOfData(String queueId) {
      return "250 2.0.0 Ok: queued as " + queueId;
    }

    /** Whether to close the connection right after sending this reply (as some servers do). */
    default boolean hangUpAfter(String reply) {
      return false;
    }

    /** Whether EHLO announces SMTPUTF8 (RFC 6531). */
    default boolean smtputf8() {
      return false;
    }
  }

  /** Postfix's replies, except that RCPT TO gets {@code reply.apply(path)}. */
  public static Behaviour rcpt(java.util.function.Function<String, String> reply) {
    return new Behaviour() {
      @Override
      public String rcptTo(String path) {
        return reply.apply(path);
      }
    };
  }

  /** Postfix's replies. */
  public static final Behaviour POSTFIX = new Behaviour() {};

  /** A message as the sink received it: envelope, queue ID and the raw, un-dot-stuffed data. */
  public record Received(
      String queueId, String envelopeFrom, List<String> recipients, byte[] data) {
    public String dataAsString() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_LINE = 1000 * 16;

  private final ServerSocket server;
  private final ExecutorService sessions =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "smtp-sink");
            t.setDaemon(true);
            return t;
          });
  // Not copy-on-write: every message and command is appended, and a copy per append made a run of
  // tens of thousands of mails quadratic, stalling the very benchmarks that measure stalls.
  private final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> commands = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour = POSTFIX;
  private volatile Consumer<Received> listener = r -> {};

  private SmtpSink(ServerSocket server) {
    this.server = server;
  }

  public static SmtpSink start() throws IOException {
    SmtpSink sink = new SmtpSink(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    sink.sessions.execute(sink::acceptLoop);
    return sink;
  }

  public int port() {
    return server.getLocalPort();
  }

  public void behaviour(Behaviour b) {
    this.behaviour = b;
  }

  public void onReceived(Consumer<Received> l) {
    this.listener = l;
  }

  public List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** Every command line received, in order, across all sessions. */
  public List<String> commands() {
    synchronized (commands) {
      return List.copyOf(commands);
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        open.add(s);
        sessions.execute(() -> session(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void session(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      reply(out, "220 sink.localhost ESMTP Postfix (alertbridge demo sink)");
      String from = null;
      List<String> rcpts = new ArrayList<>();
      String line;
      while ((line = readLine(in)) != null) {
        commands.add(line);
        String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
        switch (verb) {
          case "EHLO" ->
              reply(
                  out,
                  "250-sink.localhost\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n"
                      + (behaviour.smtputf8() ? "250-SMTPUTF8\r\n" : "")
                      + "250 ENHANCEDSTATUSCODES");
          case "HELO" -> reply(out, "250 sink.localhost");
          case "MAIL" -> {
            String r = behaviour.mailFrom(argument(line));
            from = r.startsWith("2") ? argument(line) : null;
            rcpts.clear();
            reply(out, r);
          }
          case "RCPT" -> {
            if (from == null) {
              reply(out, "503 5.5.1 Error: need MAIL command");
            } else {
              String r = behaviour.rcptTo(argument(line));
              if (r.startsWith("2")) {
                rcpts.add(argument(line));
              }
              reply(out, r);
              if (behaviour.hangUpAfter(r)) {
                return;
              }
            }
          }
          case "DATA" -> {
            if (rcpts.isEmpty()) {
              reply(out, "554 5.5.1 Error: no valid recipients");
              continue;
            }
            reply(out, "354 End data with <CR><LF>.<CR><LF>");
            byte[] data = readData(in);
            String queueId = queueId();
            String r = behaviour.endOfData(queueId);
            if (r == null || r.startsWith("2")) {
              Received m = new Received(queueId, from, List.copyOf(rcpts), data);
              received.add(m);
              listener.accept(m);
            }
            if (r == null) {
              return;
            }
            from = null;
            rcpts.clear();
            reply(out, r);
            if (r.startsWith("421")) {
              return;
            }
          }
          case "RSET" -> {
            from = null;
            rcpts.clear();
            reply(out, "250 2.0.0 Ok");
          }
          case "NOOP" -> reply(out, "250 2.0.0 Ok");
          case "QUIT" -> {
            reply(out, "221 2.0.0 Bye");
            return;
          }
          default -> reply(out, "502 5.5.2 Error: command not recognized");
        }
      }
    } catch (SocketException e) {
      // The client hung up or the sink is closing.
    } catch (IOException e) {
      commands.add("(i/o error: " + e.getMessage() + ")");
    } finally {
      open.remove(socket);
    }
  }

  /** The path in {@code MAIL FROM:<a@b> SIZE=1}, without brackets or parameters. */
  private static String argument(String line) {
    int colon = line.indexOf(':');
    String rest = colon < 0 ? "" : line.substring(colon + 1).trim();
    int space = rest.indexOf(' ');
    rest = space < 0 ? rest : rest.substring(0, space);
    return rest.startsWith("<") && rest.endsWith(">") ? rest.substring(1, rest.length() - 1) : rest;
  }

  private static String queueId() {
    // Postfix short queue IDs: 10 or more hex digits, upper case.
    return String.format("%010X", RANDOM.nextLong() & 0xFFFFFFFFFFL);
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One line without its CRLF; a bare LF also ends a line. Null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.UTF_8);
      }
      if (line.size() > MAX_LINE) {
        throw new IOException("line too long");
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  /** Reads DATA up to the lone "." line (RFC 5321 §4.1.1.4) and undoes dot-stuffing (§4.5.2). */
  private static byte[] readData(InputStream in) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    String line;
    while ((line = readLine(in)) != null) {
      if (line.equals(".")) {
        return data.toByteArray();
      }
      String unstuffed = line.startsWith(".") ? line.substring(1) : line;
      data.write((unstuffed + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    throw new IOException("connection closed during DATA");
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    sessions.shutdownNow();
  }
}
