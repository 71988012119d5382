package io.alertbridge.relay;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** What the server answered to one probe. */
@JsonPropertyOrder({"mail_from", "rcpt_to", "verdict", "replies"})
public record RelayResult(String mailFrom, String rcptTo, Verdict verdict, List<String> replies) {
  /** The outcome of one probe. */
  public enum Verdict {
    /** RCPT TO an outside recipient got 250 or 251: the server would relay. */
    RELAYED,
    /** RCPT TO was refused. */
    REFUSED,
    /** MAIL FROM was refused, so the recipient was not tried. */
    SKIPPED;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RelayResult {
    replies = List.copyOf(replies);
  }
}
