package io.alertbridge.ack;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;

/**
 * What a person (or a mail server) answered to a notification, as a record on {@code
 * STATE-responses}: written by the inbound mailbox reader or the link page of any instance, read by
 * the policy task that owns the incident's group, which checks the token against its key and its
 * state. Each carries the raw token: the policy, not the writer, decides whether it is genuine, so
 * one place holds that rule.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Response.Reply.class, name = "reply"),
  @JsonSubTypes.Type(value = Response.Click.class, name = "link"),
  @JsonSubTypes.Type(value = Response.Bounce.class, name = "bounce")
})
public sealed interface Response permits Response.Reply, Response.Click, Response.Bounce {
  /** Reply channel names, as audit lines and metrics give them. */
  String BY_REPLY = "reply";

  String BY_LINK = "link";

  /** A response's record stays far below Kafka's message limit; bigger is refused. */
  int MAX_BYTES = 64 * 1024;

  String token();

  /** The record's value. */
  static byte[] toJson(Response r) {
    try {
      byte[] b = Json.MAPPER.writerFor(Response.class).writeValueAsBytes(r);
      if (b.length > MAX_BYTES) {
        throw new IllegalArgumentException(
            "response of " + b.length + " bytes, more than " + MAX_BYTES);
      }
      return b;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a response is plain data and always serialises", e);
    }
  }

  /** A record's value; unknown fields are ignored, so a newer writer's records still read. */
  static Response fromJson(byte[] value) throws java.io.IOException {
    Response r = Json.MAPPER.readValue(value, Response.class);
    if (r == null) {
      throw new java.io.IOException("empty response");
    }
    return r;
  }

  /** When it was received (epoch ms). */
  long received();

  /**
   * A reply to a notification.
   *
   * @param from the reply's From address, lowercased
   * @param command {@code ack} or {@code unack}
   * @param ttlSeconds {@code ack 2h}: how long; null for the route's {@code ack-ttl}
   * @param messageId the reply's own Message-ID: one reply takes effect once
   * @param authPass false when {@code inbound.trusted-authserv-id} is set and its
   *     Authentication-Results did not show DMARC (or aligned DKIM) pass
   * @param authDetail what the check found, for the audit line
   */
  @JsonTypeName("reply")
  record Reply(
      String token,
      String from,
      String command,
      Long ttlSeconds,
      String messageId,
      long received,
      boolean authPass,
      String authDetail)
      implements Response {}

  /** A POST of the acknowledge link's confirmation page; the token is the link's. */
  @JsonTypeName("link")
  record Click(String token, long received) implements Response {}

  /**
   * A delivery status notification (or a bounce without one) for a mail of the incident.
   *
   * @param token the bounce address's token (identifies incident and recipient)
   * @param recipients the recipients it reports, with their DSN action
   */
  @JsonTypeName("bounce")
  record Bounce(
      String token,
      List<Recipient> recipients,
      String originalMessageId,
      String queueId,
      String messageId,
      long received)
      implements Response {
    public Bounce {
      recipients = recipients == null ? List.of() : List.copyOf(recipients);
    }
  }

  /** One recipient of a DSN: {@code failed} or {@code delayed}, its status code and diagnostic. */
  record Recipient(String address, String action, String status, String diagnostic) {}

  /** The mapper of response records. */
  final class Json {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .disable(
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .defaultPropertyInclusion(
                com.fasterxml.jackson.annotation.JsonInclude.Value.construct(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL,
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .build();

    private Json() {}
  }
}
