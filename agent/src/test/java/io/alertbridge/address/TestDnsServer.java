package io.alertbridge.address;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real, small authoritative DNS server on a loopback UDP port, for tests: serves the records it
 * is given, NXDOMAIN for names it does not know, and silence for names it is told to ignore.
 */
public final class TestDnsServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Set<Name> silent = ConcurrentHashMap.newKeySet();
  private final Thread thread;

  public TestDnsServer() throws SocketException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::serve, "test-dns");
    thread.setDaemon(true);
    thread.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  static Name name(String s) {
    try {
      return Name.fromString(s, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public TestDnsServer mx(String domain, int preference, String host) {
    return add(new MXRecord(name(domain), DClass.IN, 300, preference, name(host)));
  }

  public TestDnsServer a(String host, String ip) throws IOException {
    return add(new ARecord(name(host), DClass.IN, 300, InetAddress.getByName(ip)));
  }

  TestDnsServer aaaa(String host, String ip) throws IOException {
    return add(new AAAARecord(name(host), DClass.IN, 300, InetAddress.getByName(ip)));
  }

  /** A name that exists but has no records of the asked type gets NOERROR with no answer. */
  TestDnsServer exists(String domain) {
    records.computeIfAbsent(name(domain), k -> new java.util.concurrent.CopyOnWriteArrayList<>());
    return this;
  }

  /** Queries for this name get no reply at all, as from a broken or filtered server. */
  public TestDnsServer silent(String domain) {
    silent.add(name(domain));
    return this;
  }

  private TestDnsServer add(Record r) {
    records
        .computeIfAbsent(r.getName(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(r);
    return this;
  }

  private void serve() {
    byte[] buf = new byte[512];
    while (!socket.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        socket.receive(packet);
        Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
        Record question = query.getQuestion();
        if (silent.contains(question.getName())) {
          continue;
        }
        byte[] answer = answer(query, question).toWire(512);
        socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  private Message answer(Message query, Record question) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(question, Section.QUESTION);
    List<Record> known = records.get(question.getName());
    if (known == null) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      return response;
    }
    for (Record r : known) {
      if (r.getType() == question.getType() || question.getType() == Type.ANY) {
        response.addRecord(r, Section.ANSWER);
      }
    }
    return response;
  }

  @Override
  public void close() {
    socket.close();
  }
}
