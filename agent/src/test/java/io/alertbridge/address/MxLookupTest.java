package io.alertbridge.address;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertbridge.address.MxResult.MxHost;
import io.alertbridge.address.MxResult.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MX lookups against a DNS server this test runs on a loopback port. */
class MxLookupTest {
  private TestDnsServer dns;
  private MxLookup lookup;

  @BeforeEach
  void start() throws Exception {
    dns =
        new TestDnsServer()
            .mx("plant.example", 20, "backup-mx.plant.example")
            .mx("plant.example", 10, "mx.plant.example")
            .mx("nullmx.example", 0, ".")
            .a("a-only.example", "192.0.2.10")
            .aaaa("aaaa-only.example", "2001:db8::10")
            .exists("nothing.example")
            .silent("slow.example");
    lookup = new MxLookup(dns.address(), Duration.ofMillis(500));
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  @Test
  void listsMxHostsInPreferenceOrder() {
    MxResult r = lookup.lookup("plant.example");
    assertThat(r.status()).isEqualTo(Status.MX);
    assertThat(r.hosts())
        .containsExactly(
            new MxHost(10, "mx.plant.example"), new MxHost(20, "backup-mx.plant.example"));
  }

  @Test
  void nullMxMeansTheDomainAcceptsNoMail() {
    MxResult r = lookup.lookup("nullmx.example");
    assertThat(r.status()).isEqualTo(Status.NULL_MX);
    assertThat(r.status().undeliverable()).isTrue();
    assertThat(r.detail()).isEqualTo("nullmx.example accepts no mail (null MX, RFC 7505)");
  }

  @Test
  void fallsBackToTheAddressRecordAsImplicitMx() {
    assertThat(lookup.lookup("a-only.example").hosts())
        .containsExactly(new MxHost(0, "a-only.example"));
    assertThat(lookup.lookup("a-only.example").status()).isEqualTo(Status.IMPLICIT_MX);
    assertThat(lookup.lookup("aaaa-only.example").status()).isEqualTo(Status.IMPLICIT_MX);
  }

  @Test
  void nxdomainIsUndeliverable() {
    MxResult r = lookup.lookup("no-such-domain.example");
    assertThat(r.status()).isEqualTo(Status.NXDOMAIN);
    assertThat(r.status().undeliverable()).isTrue();
  }

  @Test
  void aDomainWithoutMailHostsIsUndeliverable() {
    assertThat(lookup.lookup("nothing.example").status()).isEqualTo(Status.NO_MAIL_HOST);
  }

  @Test
  void aTimeoutIsUnknownNeverInvalid() {
    MxResult r = lookup.lookup("slow.example");
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.status().undeliverable()).isFalse();
    assertThat(r.detail()).startsWith("no answer from DNS");
  }
}
