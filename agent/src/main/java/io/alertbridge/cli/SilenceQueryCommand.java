package io.alertbridge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.kafka.KafkaClients;
import io.alertbridge.policy.AlertSnapshot;
import io.alertbridge.policy.FiringAlerts;
import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.SilenceRules;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alertbridge silence query}: the firing alerts a silence of these matchers would cover. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "List the alerts firing now (as the policy stage last committed them)",
      "that a silence with these matchers would cover, before it is added.",
      "Exit code 0 when one matched, 1 when none did, 2 on a bad matcher."
    })
final class SilenceQueryCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (one line each) or json. Default: ${DEFAULT-VALUE}.")
  OutputFormat format;

  @Parameters(
      arity = "1..*",
      paramLabel = "MATCHER",
      converter = SilenceCommand.MatcherConverter.class,
      description = "As for add.")
  List<Matcher> matchers;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      SilenceRules.checkMatchers(matchers);
    } catch (MatcherException e) {
      err.println("alertbridge silence query: note: add would refuse this: " + e.getMessage());
    }
    AlertbridgeConfig c = config.load();
    if (!c.policy().enabled()) {
      err.println("alertbridge silence query: the policy is off, so no alert state is kept");
    }
    List<FiringAlerts.Firing> firing =
        FiringAlerts.read(
            KafkaClients.consumer(c.kafka()),
            SilenceCommandKafka.stateTopic(c),
            SilenceCommandKafka.TIMEOUT);
    List<FiringAlerts.Firing> covered = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (FiringAlerts.Firing f : firing) {
      AlertSnapshot a = f.latest();
      AlertFields fields = AlertFields.of(a.source(), a.type(), a.severity(), a.labels());
      // One alert routed to several routes is in several groups: shown once.
      if (matchers.stream().allMatch(m -> m.matches(fields)) && seen.add(f.fingerprint())) {
        covered.add(f);
      }
    }
    if (format == OutputFormat.json) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (FiringAlerts.Firing f : covered) {
        AlertSnapshot a = f.latest();
        var o = array.addObject();
        o.put("fingerprint", f.fingerprint());
        o.put("source", a.source());
        o.put("type", a.type());
        o.put("severity", a.severity());
        o.putPOJO("labels", a.labels());
        o.put("since", f.since().toString());
        o.put("summary", a.summary());
      }
      out.println(OutputFormat.JSON.writeValueAsString(array));
    } else {
      for (FiringAlerts.Firing f : covered) {
        AlertSnapshot a = f.latest();
        out.printf(
            "%s %s %s %s since %s: %s%n",
            a.source(),
            a.type(),
            a.severity(),
            a.labels(),
            f.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            a.summary());
      }
    }
    if (covered.isEmpty()) {
      err.println("alertbridge silence query: no alert firing now matches");
    }
    out.flush();
    err.flush();
    return covered.isEmpty() ? Main.FAILED : Main.OK;
  }
}
