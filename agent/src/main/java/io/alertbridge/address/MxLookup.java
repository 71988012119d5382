package io.alertbridge.address;

import io.alertbridge.address.MxResult.MxHost;
import io.alertbridge.address.MxResult.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds a domain's mail hosts with dnsjava, asking one resolver directly (no cache, no search
 * list), so the answer is what that resolver says now and tests can point it at a server they run.
 */
public final class MxLookup {
  private final SimpleResolver resolver;

  /**
   * @param server the resolver to ask, or null for the system's first configured resolver
   */
  public MxLookup(InetSocketAddress server, Duration timeout) throws UnknownHostException {
    this.resolver = server == null ? new SimpleResolver() : new SimpleResolver(server);
    this.resolver.setTimeout(timeout);
  }

  public MxResult lookup(String asciiDomain) {
    Name name;
    try {
      name = Name.fromString(asciiDomain, Name.root);
    } catch (TextParseException e) {
      return new MxResult(Status.NXDOMAIN, List.of(), "not a DNS name: " + e.getMessage());
    }
    Message mx;
    try {
      mx = query(name, Type.MX);
    } catch (IOException e) {
      return unknown(e);
    }
    switch (mx.getRcode()) {
      case Rcode.NOERROR -> {
        // answered below
      }
      case Rcode.NXDOMAIN -> {
        return new MxResult(Status.NXDOMAIN, List.of(), asciiDomain + " does not exist (NXDOMAIN)");
      }
      default -> {
        return new MxResult(
            Status.UNKNOWN, List.of(), "resolver answered " + Rcode.string(mx.getRcode()));
      }
    }
    List<MxHost> hosts = new ArrayList<>();
    boolean nullMx = false;
    for (Record r : mx.getSection(Section.ANSWER)) {
      if (r instanceof MXRecord m) {
        nullMx |= m.getTarget().equals(Name.root);
        hosts.add(new MxHost(m.getPriority(), m.getTarget().toString(true)));
      }
    }
    if (nullMx && hosts.size() == 1) {
      return new MxResult(
          Status.NULL_MX, List.of(), asciiDomain + " accepts no mail (null MX, RFC 7505)");
    }
    if (!hosts.isEmpty()) {
      hosts.sort(Comparator.comparingInt(MxHost::preference));
      return new MxResult(Status.MX, hosts, hosts.size() + " MX record(s)");
    }
    return implicit(name, asciiDomain);
  }

  /** No MX: the domain's own A/AAAA records make it its mail host (RFC 5321 §5.1). */
  private MxResult implicit(Name name, String asciiDomain) {
    try {
      for (int type : new int[] {Type.A, Type.AAAA}) {
        Message m = query(name, type);
        if (m.getRcode() == Rcode.NOERROR
            && m.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == type)) {
          return new MxResult(
              Status.IMPLICIT_MX,
              List.of(new MxHost(0, asciiDomain)),
              "no MX records; the domain's " + Type.string(type) + " record is its mail host");
        }
      }
    } catch (IOException e) {
      return unknown(e);
    }
    return new MxResult(
        Status.NO_MAIL_HOST, List.of(), asciiDomain + " has no MX and no A/AAAA records");
  }

  private Message query(Name name, int type) throws IOException {
    return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
  }

  private static MxResult unknown(IOException e) {
    return new MxResult(Status.UNKNOWN, List.of(), "no answer from DNS: " + e.getMessage());
  }
}
