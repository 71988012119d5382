package io.alertbridge.address;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * The answer to "can this address receive mail?". {@code mx} is present when DNS was asked, {@code
 * smtp} when a server was probed.
 */
@JsonPropertyOrder({
  "address",
  "verdict",
  "syntax_valid",
  "smtputf8",
  "reasons",
  "ascii_domain",
  "mx",
  "smtp"
})
public record AddressReport(
    String address,
    Verdict verdict,
    boolean syntaxValid,
    boolean smtputf8,
    List<String> reasons,
    String asciiDomain,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<MxResult.MxHost> mx,
    @JsonInclude(JsonInclude.Include.NON_NULL) Smtp smtp) {
  /** The overall judgement. */
  public enum Verdict {
    VALID,
    INVALID,
    /** Mail would be accepted but may not arrive: catch-all domain, SMTPUTF8 unsupported. */
    RISKY,
    /** No definite answer (DNS timeout, greylisting, unreachable server). */
    UNKNOWN;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The probe's findings, as the JSON output shows them. */
  @JsonPropertyOrder({"host", "replies", "catch_all", "deliverable"})
  public record Smtp(String host, List<String> replies, Boolean catchAll, Boolean deliverable) {}

  public AddressReport {
    reasons = List.copyOf(reasons);
  }
}
