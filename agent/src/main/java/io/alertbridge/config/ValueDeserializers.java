package io.alertbridge.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.alertbridge.audit.FsyncPolicy;
import io.alertbridge.mailbox.MailboxSyntax;
import io.alertbridge.smtp.TlsMode;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Jackson deserializers that turn YAML scalars into typed values, or fail naming the rule. */
final class ValueDeserializers {
  private ValueDeserializers() {}

  /** A scalar that broke a rule; Jackson adds the key path as the exception travels up. */
  static final class BadValue extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    final String found;
    final String rule;

    BadValue(JsonParser p, String found, String rule) {
      super(p, rule);
      this.found = found;
      this.rule = rule;
    }
  }

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("alertbridge-config");
    m.addDeserializer(Duration.class, scalar(Durations::parse, Durations.RULE));
    m.addDeserializer(DataSize.class, scalar(DataSize::parse, DataSize.RULE));
    m.addDeserializer(TlsMode.class, scalar(TlsMode::parse, TlsMode.RULE));
    m.addDeserializer(FsyncPolicy.class, scalar(FsyncPolicy::parse, FsyncPolicy.RULE));
    m.addDeserializer(Rate.class, scalar(Rate::parse, Rate.RULE));
    m.addDeserializer(Percentage.class, scalar(Percentage::parse, Percentage.RULE));
    m.addDeserializer(InternetAddress.class, scalar(ValueDeserializers::mailbox, MAILBOX_RULE));
    m.addDeserializer(ListSettings.class, new ListReader());
    return m;
  }

  static final String LIST_RULE =
      "must be a list of addresses, or a mapping with rota: {timezone, shifts or rotation,"
          + " overrides}";

  /** The YAML of a rota list: a mapping whose one key is {@code rota}. */
  record RotaList(RotaSettings rota) {}

  /** A list under {@code lists:} is a YAML list of addresses, or a mapping holding a rota. */
  private static final class ListReader extends JsonDeserializer<ListSettings> {
    @Override
    public ListSettings deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.START_OBJECT) {
        RotaSettings rota = ctxt.readValue(p, RotaList.class).rota();
        if (rota == null) {
          throw new BadValue(p, "{}", LIST_RULE);
        }
        return new ListSettings(List.of(), rota);
      }
      JavaType addresses = ctxt.getTypeFactory().constructCollectionType(List.class, String.class);
      return ListSettings.of(ctxt.readValue(p, addresses));
    }
  }

  static final String MAILBOX_RULE =
      "must be an RFC 5321 mailbox (local@domain), optionally with a display name: Name <local@domain>";

  private static <T> JsonDeserializer<T> scalar(Function<String, Optional<T>> parse, String rule) {
    return new JsonDeserializer<>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue()) {
          throw new BadValue(p, p.currentToken().asString(), rule);
        }
        String text = p.getValueAsString();
        return parse.apply(text).orElseThrow(() -> new BadValue(p, '"' + text + '"', rule));
      }
    };
  }

  /** Parses {@code Name <a@b>} or {@code a@b}; the address itself must pass the SMTP grammar. */
  static Optional<InternetAddress> mailbox(String text) {
    try {
      InternetAddress parsed = new InternetAddress(text, true);
      if (!MailboxSyntax.check(parsed.getAddress()).valid()) {
        return Optional.empty();
      }
      return Optional.of(parsed);
    } catch (AddressException e) {
      return Optional.empty();
    }
  }
}
