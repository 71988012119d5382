package io.alertbridge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertbridge.silence.KafkaSilences;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code alertbridge silence list}: the silences in force (or all), newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the pending and active silences, newest first (--all: expired ones too).",
      "json writes an array with the field names of Alertmanager's silence API."
    })
final class SilenceListCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--all", description = "Also the expired silences still on the topic.")
  boolean all;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (one line each) or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<Silence> silences;
    try (KafkaSilences store = SilenceCommandKafka.open(config.load())) {
      silences = store.all();
    }
    Instant now = Instant.now();
    List<Silence> shown =
        silences.stream().filter(s -> all || s.state(now) != Silence.State.EXPIRED).toList();
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      shown.forEach(s -> array.add(json(s, now)));
      out.println(OutputFormat.JSON.writeValueAsString(array));
    } else {
      out.printf(
          "%-36s  %-7s  %-26s  %-12s  %s  %s%n",
          "ID", "STATE", "ENDS/STARTS", "CREATED-BY", "COMMENT", "MATCHERS");
      shown.forEach(s -> out.println(text(s, now)));
    }
    out.flush();
    return Main.OK;
  }

  /** id state ends-or-starts created-by "comment" matchers */
  static String text(Silence s, Instant now) {
    Silence.State state = s.state(now);
    String when =
        switch (state) {
          case PENDING -> "starts " + seconds(s.startsAt());
          case ACTIVE -> "ends " + seconds(s.endsAt());
          case EXPIRED -> "ended " + seconds(s.endsAt());
        };
    return String.format(
        "%-36s  %-7s  %-26s  %-12s  %s  %s",
        s.id(),
        state.wireName(),
        when,
        s.createdBy(),
        '"' + s.comment() + '"',
        s.matchers().stream().map(Matcher::toString).collect(Collectors.joining(" ")));
  }

  private static Instant seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS);
  }

  /** As Alertmanager's API v2 writes a silence ({@code GettableSilence}), names unmapped. */
  static ObjectNode json(Silence s, Instant now) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", s.id());
    ArrayNode ms = o.putArray("matchers");
    for (Matcher m : s.matchers()) {
      ms.addObject()
          .put("name", m.name())
          .put("value", m.value())
          .put("isRegex", m.op().regex())
          .put("isEqual", m.op().equal());
    }
    o.put("startsAt", s.startsAt().toString());
    o.put("endsAt", s.endsAt().toString());
    o.put("updatedAt", s.updatedAt().toString());
    o.put("createdBy", s.createdBy());
    o.put("comment", s.comment());
    o.put("expireOnResolve", s.expireOnResolve());
    o.putObject("status").put("state", s.state(now).wireName());
    return o;
  }
}
