package io.alertbridge.cli;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ListSettings;
import io.alertbridge.rota.Rota;
import io.alertbridge.rota.Watch;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code alertbridge rota show NAME}: who is on watch at a time, and until when. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Print who is on watch on the list NAME at TIME (default: now), from when and until when,",
      "in the rota's timezone. A plain list prints its members."
    })
final class RotaShowCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx (EEE)", Locale.ROOT);

  @Mixin ConfigOption config;

  @Parameters(paramLabel = "NAME", description = "A list under lists: in the configuration.")
  String name;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "ISO-8601 with an offset (2026-12-24T03:00:00+01:00), or a local date-time"
              + " (2026-12-24T03:00) read in the rota's timezone. Default: now.")
  String at;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    AlertbridgeConfig c = config.load();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ListSettings list = c.lists().get(name);
    if (list == null) {
      err.printf(
          "alertbridge rota show: no list %s in %s; its lists: %s%n",
          name, config.file, c.lists().keySet());
      err.flush();
      return Main.USAGE;
    }
    if (!list.isRota()) {
      out.printf("%s (not a rota):%n", name);
      list.addresses().forEach(a -> out.println("  " + a));
      out.flush();
      return Main.OK;
    }
    Rota rota = list.rota().compile();
    Instant t;
    try {
      t = at == null ? Instant.now() : parse(at, rota.zone());
    } catch (DateTimeException e) {
      err.printf(
          "alertbridge rota show: --at %s must be a date-time such as 2026-12-24T03:00:00+01:00"
              + " or 2026-12-24T03:00 (in %s)%n",
          at, rota.zone());
      err.flush();
      return Main.USAGE;
    }
    Watch w = rota.at(t);
    out.printf("%s (rota, %s) at %s:%n", name, rota.zone(), TIME.format(t.atZone(rota.zone())));
    w.members().forEach(m -> out.println("  " + m));
    out.printf(
        "on watch from %s until %s%n",
        TIME.format(w.from().atZone(rota.zone())), TIME.format(w.until().atZone(rota.zone())));
    out.flush();
    return Main.OK;
  }

  private static Instant parse(String text, ZoneId zone) {
    String t = text.trim().replace(' ', 'T');
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      // Not with an offset: a wall-clock time of the rota's zone.
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    }
  }
}
