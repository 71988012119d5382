package io.alertbridge.smtp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories for one connection that remember the socket they made, so the connection can
 * wait longer for the reply to the final dot than for any other reply: RFC 5321 §4.5.3.2.6 gives a
 * server 10 minutes there, while a command's reply is due in seconds. Angus Mail has one read
 * timeout for everything and no access to its socket.
 */
final class TrackingSockets {
  private final AtomicReference<Socket> last = new AtomicReference<>();

  /** Sets the read timeout of the connection's socket, the one TLS (if any) runs over. */
  void readTimeout(Duration timeout) throws SocketException {
    Socket s = last.get();
    if (s != null && !s.isClosed()) {
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }
  }

  private <T extends Socket> T remember(T s) {
    last.set(s);
    return s;
  }

  /** For plain SMTP and STARTTLS: the TCP socket. */
  SocketFactory plain() {
    SocketFactory d = SocketFactory.getDefault();
    return new SocketFactory() {
      @Override
      public Socket createSocket() throws IOException {
        return remember(d.createSocket());
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return remember(d.createSocket(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress local, int localPort)
          throws IOException {
        return remember(d.createSocket(host, port, local, localPort));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return remember(d.createSocket(host, port));
      }

      @Override
      public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
          throws IOException {
        return remember(d.createSocket(host, port, local, localPort));
      }
    };
  }

  /** For implicit TLS: the TLS socket itself (STARTTLS layers over the plain one instead). */
  SSLSocketFactory tls(SSLSocketFactory d) {
    return new SSLSocketFactory() {
      @Override
      public String[] getDefaultCipherSuites() {
        return d.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return d.getSupportedCipherSuites();
      }

      @Override
      public Socket createSocket(Socket s, String host, int port, boolean autoClose)
          throws IOException {
        return d.createSocket(s, host, port, autoClose);
      }

      @Override
      public Socket createSocket() throws IOException {
        return remember(d.createSocket());
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return remember(d.createSocket(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress local, int localPort)
          throws IOException {
        return remember(d.createSocket(host, port, local, localPort));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return remember(d.createSocket(host, port));
      }

      @Override
      public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
          throws IOException {
        return remember(d.createSocket(host, port, local, localPort));
      }
    };
  }
}
