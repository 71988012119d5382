package io.alertbridge.address;

import java.util.List;

/**
 * What DNS says about a domain's mail hosts.
 *
 * @param hosts mail hosts, best (lowest preference) first; the domain itself for an implicit MX
 */
public record MxResult(Status status, List<MxHost> hosts, String detail) {
  /** The kinds of answer, and what each means for deliverability. */
  public enum Status {
    /** MX records exist. */
    MX,
    /** No MX records, but A/AAAA records: the domain is its own mail host (RFC 5321 §5.1). */
    IMPLICIT_MX,
    /** A null MX (RFC 7505): the domain declares that it accepts no mail. */
    NULL_MX,
    /** The domain does not exist. */
    NXDOMAIN,
    /** The domain exists but has neither MX nor address records. */
    NO_MAIL_HOST,
    /** No answer (timeout, SERVFAIL, network error): deliverability is not known. */
    UNKNOWN;

    /** Whether this answer proves the domain cannot receive mail. */
    public boolean undeliverable() {
      return this == NULL_MX || this == NXDOMAIN || this == NO_MAIL_HOST;
    }
  }

  /** One mail host. */
  public record MxHost(int preference, String host) {}

  public MxResult {
    hosts = List.copyOf(hosts);
  }
}
