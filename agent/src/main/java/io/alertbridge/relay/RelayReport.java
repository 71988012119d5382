package io.alertbridge.relay;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The whole relay test.
 *
 * @param authenticationRequired the server answered 530: it does not take mail from anonymous
 *     clients at all, so the test stopped
 */
@JsonPropertyOrder({
  "server",
  "outside_domain",
  "local_domain",
  "ip",
  "relayed",
  "authentication_required",
  "probes"
})
public record RelayReport(
    String server,
    String outsideDomain,
    String localDomain,
    String ip,
    boolean authenticationRequired,
    List<RelayResult> probes) {
  public RelayReport {
    probes = List.copyOf(probes);
  }

  public long relayed() {
    return probes.stream().filter(p -> p.verdict() == RelayResult.Verdict.RELAYED).count();
  }

  public long count(RelayResult.Verdict verdict) {
    return probes.stream().filter(p -> p.verdict() == verdict).count();
  }
}
