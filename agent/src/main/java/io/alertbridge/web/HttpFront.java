package io.alertbridge.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every socket of the HTTP endpoint, on one selector thread that never waits for a client: it reads
 * requests (heads and bounded bodies) and writes responses without blocking, and hands complete
 * requests to a {@link Dispatcher}. A client that sends half a request, or reads its response
 * slowly, holds a buffer, not a thread, and only until its deadline; a full listener makes room by
 * dropping its oldest unfinished request, so a flood of idle connections cannot keep a health probe
 * out.
 *
 * <p>The JDK's {@code HttpServer} reads request heads on its handler threads: two idle connections
 * blocked a two-thread pool, and {@code /healthz} with it (review H4). Its {@code
 * sun.net.httpserver.maxReqTime} only frees each thread after that time, and {@code
 * jdk.httpserver.maxConnections} refuses new connections, health probes included.
 */
final class HttpFront implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpFront.class);

  /** A listening socket, with what it serves. */
  record Port(ServerSocketChannel channel, boolean statusPage) {}

  /** Decides on a request; called on the selector thread, so it must hand slow work on. */
  interface Dispatcher {
    void dispatch(HttpRequest request, Consumer<HttpResponse> reply);
  }

  private enum State {
    READING,
    WAITING,
    WRITING
  }

  /** A listener's open connections, oldest first. */
  private record Listening(Set<Connection> connections, boolean statusPage) {}

  private final class Connection {
    final SocketChannel channel;
    final Listening listening;
    final ByteBuffer in = ByteBuffer.allocate(limits.maxRequestBytes());
    SelectionKey key;

    /** The parsed head while its body is still arriving; null before and after. */
    HttpRequest pending;

    ByteBuffer body;
    ByteBuffer out;
    State state = State.READING;
    long deadline = System.nanoTime() + limits.requestTimeout().toNanos();

    Connection(SocketChannel channel, Listening listening) {
      this.channel = channel;
      this.listening = listening;
    }
  }

  private record Ready(Connection connection, HttpResponse response, boolean head) {}

  private final HttpLimits limits;
  private final Selector selector;
  private final List<Port> ports;
  private final Queue<Ready> ready = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private Dispatcher dispatcher;
  private volatile boolean open = true;

  /** Binds every listener, or none: one that cannot be bound fails the whole endpoint. */
  static HttpFront bind(List<WebServer.Listener> listeners, HttpLimits limits)
      throws WebServer.CannotListen {
    List<Port> ports = new ArrayList<>();
    try {
      for (WebServer.Listener l : listeners) {
        try {
          ServerSocketChannel c = ServerSocketChannel.open();
          ports.add(new Port(c, l.statusPage()));
          c.bind(l.address(), 64);
          c.configureBlocking(false);
        } catch (IOException e) {
          throw new WebServer.CannotListen(l, e);
        } catch (UnresolvedAddressException | SecurityException e) {
          throw new WebServer.CannotListen(
              l, new IOException("cannot resolve or may not bind " + l.address(), e));
        }
      }
      return new HttpFront(ports, limits);
    } catch (WebServer.CannotListen e) {
      for (Port p : ports) {
        try {
          p.channel().close();
        } catch (IOException ignored) {
          // Never served anything; the failure that matters is the one thrown.
        }
      }
      throw e;
    } catch (IOException e) {
      throw new WebServer.CannotListen(listeners.get(0), e);
    }
  }

  private HttpFront(List<Port> ports, HttpLimits limits) throws IOException {
    this.ports = ports;
    this.limits = limits;
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, "alertbridge-http");
    thread.setDaemon(true);
  }

  List<InetSocketAddress> addresses() throws IOException {
    List<InetSocketAddress> all = new ArrayList<>();
    for (Port p : ports) {
      all.add((InetSocketAddress) p.channel().getLocalAddress());
    }
    return all;
  }

  void start(Dispatcher d) throws IOException {
    this.dispatcher = d;
    for (Port p : ports) {
      p.channel()
          .register(
              selector,
              SelectionKey.OP_ACCEPT,
              new Listening(new LinkedHashSet<>(), p.statusPage()));
    }
    thread.start();
  }

  private void loop() {
    while (open) {
      try {
        selector.select(200);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey k = keys.next();
          keys.remove();
          handle(k);
        }
        for (Ready r; (r = ready.poll()) != null; ) {
          write(r);
        }
        expire();
      } catch (IOException | RuntimeException e) {
        // One bad socket must not end the endpoint: log it and keep serving the others.
        log.warn("HTTP endpoint: {}", e.toString());
      }
    }
  }

  private void handle(SelectionKey k) throws IOException {
    if (!k.isValid()) {
      return;
    }
    if (k.attachment() instanceof Listening l) {
      ServerSocketChannel server = (ServerSocketChannel) k.channel();
      for (SocketChannel c; (c = server.accept()) != null; ) {
        accept(c, l);
      }
      return;
    }
    Connection c = (Connection) k.attachment();
    try {
      if (k.isReadable() && c.state == State.READING) {
        read(c);
      } else if (k.isWritable() && c.state == State.WRITING) {
        flush(c);
      }
    } catch (IOException e) {
      close(c);
    }
  }

  private void accept(SocketChannel c, Listening l) throws IOException {
    if (l.connections().size() >= limits.maxConnections() && !dropOldest(l)) {
      c.close();
      return;
    }
    try {
      c.configureBlocking(false);
      c.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Connection conn = new Connection(c, l);
      conn.key = c.register(selector, SelectionKey.OP_READ, conn);
      l.connections().add(conn);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Makes room for a new connection by dropping the oldest that has not finished sending its
   * request or, failing that, the oldest still being answered: a client that stops reading its
   * response holds a slot as well as one that stops writing its request, so both give way to a
   * probe. A request a handler is working on is not dropped: there are at most as many as the queue
   * allows.
   */
  private boolean dropOldest(Listening l) {
    for (State s : List.of(State.READING, State.WRITING)) {
      for (Connection c : l.connections()) {
        if (c.state == s) {
          close(c);
          return true;
        }
      }
    }
    return false;
  }

  private void read(Connection c) throws IOException {
    if (c.pending != null) {
      if (c.channel.read(c.body) < 0) {
        close(c);
      } else {
        bodyRead(c);
      }
      return;
    }
    if (c.channel.read(c.in) < 0) {
      close(c);
      return;
    }
    int end = HttpHead.end(c.in.array(), c.in.position());
    if (end < 0 && c.in.hasRemaining()) {
      return;
    }
    if (end < 0) {
      String why = "request head over " + limits.maxRequestBytes() + " bytes\n";
      refuse(c, HttpResponse.text(431, why));
      return;
    }
    HttpRequest r;
    try {
      r = HttpHead.parse(c.in.array(), end, c.listening.statusPage());
    } catch (IllegalArgumentException e) {
      refuse(c, HttpResponse.text(400, "bad request: " + e.getMessage() + "\n"));
      return;
    }
    HttpResponse refused = HttpBody.refusal(r.headers(), limits.maxBodyBytes());
    if (refused != null) {
      refuse(c, refused);
      return;
    }
    // The body is read here too, on the selector thread, within the request's deadline: a client
    // that trickles its body holds a buffer, never a handler thread.
    c.pending = r;
    c.body = ByteBuffer.allocate(HttpBody.length(r.headers()));
    c.body.put(c.in.array(), end, Math.min(c.in.position() - end, c.body.capacity()));
    bodyRead(c);
  }

  private void bodyRead(Connection c) {
    if (c.body.hasRemaining()) {
      return;
    }
    HttpRequest r = c.pending.withBody(c.body.array());
    c.pending = null;
    waiting(c);
    boolean head = r.method().equals("HEAD");
    dispatcher.dispatch(r, response -> reply(c, response, head));
  }

  private void refuse(Connection c, HttpResponse response) {
    waiting(c);
    reply(c, response, false);
  }

  /** The request is complete: its response is due within the response timeout. */
  private void waiting(Connection c) {
    c.state = State.WAITING;
    c.key.interestOps(0);
    c.deadline = System.nanoTime() + limits.responseTimeout().toNanos();
  }

  /** Queues a response for the selector thread; safe from any thread. */
  private void reply(Connection c, HttpResponse response, boolean head) {
    ready.add(new Ready(c, response, head));
    selector.wakeup();
  }

  private void write(Ready r) {
    Connection c = r.connection();
    if (!c.channel.isOpen() || c.state == State.WRITING) {
      return;
    }
    c.out = ByteBuffer.wrap(r.response().bytes(r.head()));
    c.state = State.WRITING;
    c.deadline = System.nanoTime() + limits.responseTimeout().toNanos();
    try {
      flush(c);
    } catch (IOException e) {
      close(c);
    }
  }

  private void flush(Connection c) throws IOException {
    c.channel.write(c.out);
    if (c.out.hasRemaining()) {
      c.key.interestOps(SelectionKey.OP_WRITE);
      return;
    }
    // Every response ends its connection: no keep-alive state to time out or to bound.
    c.channel.shutdownOutput();
    close(c);
  }

  private void expire() {
    long now = System.nanoTime();
    for (SelectionKey k : selector.keys()) {
      if (k.attachment() instanceof Connection c && now - c.deadline > 0) {
        abort(c);
      }
    }
  }

  /**
   * Resets the connection: a plain close would leave an unread response in the kernel's buffers,
   * still trickling out to the slow reader that missed its deadline.
   */
  private void abort(Connection c) {
    try {
      c.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException ignored) {
      // Already closed by the peer: the close below has nothing left to discard.
    }
    close(c);
  }

  private void close(Connection c) {
    c.listening.connections().remove(c);
    try {
      c.channel.close();
    } catch (IOException ignored) {
      // Closing a socket the peer already reset: nothing left to release.
    }
  }

  @Override
  public void close() {
    open = false;
    selector.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey k : selector.keys()) {
      if (k.attachment() instanceof Connection c) {
        close(c);
      }
    }
    for (Port p : ports) {
      try {
        p.channel().close();
      } catch (IOException ignored) {
        // The listener is gone either way.
      }
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // Nothing registered on it is left open.
    }
  }
}
