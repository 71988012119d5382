package io.alertbridge.render;

import io.alertbridge.config.ConfigException;
import io.alertbridge.config.ConfigProblem;
import io.alertbridge.config.TemplateSettings;
import io.alertbridge.event.AlertEvent;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configured templates, compiled once at startup with Pebble. HTML bodies are rendered by an
 * engine that HTML-escapes every expression; subjects and text bodies by one that does not (a text
 * body is not markup, and a subject is sanitised by {@link HeaderText} instead).
 *
 * <p>Templates see {@code event} (id, time, source, type, severity, status, summary, description,
 * labels, values), {@code route} (name) and the group: {@code alerts}, {@code firing}, {@code
 * resolved}, {@code counts}, {@code status}, {@code group} (see {@link #groupContext}). An event
 * mailed on its own is a group of one.
 */
public final class Templates {
  private static final PebbleEngine HTML = engine(true);
  private static final PebbleEngine TEXT = engine(false);

  private record Compiled(PebbleTemplate subject, PebbleTemplate text, PebbleTemplate html) {}

  private final Map<String, Compiled> compiled;

  private Templates(Map<String, Compiled> compiled) {
    this.compiled = Map.copyOf(compiled);
  }

  private static PebbleEngine engine(boolean escapeHtml) {
    return new PebbleEngine.Builder()
        .autoEscaping(escapeHtml)
        .defaultEscapingStrategy("html")
        .strictVariables(false)
        .newLineTrimming(false)
        .defaultLocale(Locale.ENGLISH)
        .cacheActive(false)
        .extension(new AlertExtension())
        .build();
  }

  /** The built-in template of storm-guard digests. */
  public static final String DIGEST = "alertbridge.digest";

  /** The built-in template of stale-backlog summaries. */
  public static final String BACKLOG = "alertbridge.backlog";

  /** The built-in template of acknowledgement confirmations (issue 18). */
  public static final String ACKNOWLEDGED = "alertbridge.acknowledged";

  /**
   * Compiles every template; a syntax error is a configuration error naming the template file. The
   * built-in {@link #DIGEST} and {@link #BACKLOG} templates are added unless configured.
   */
  public static Templates compile(Map<String, TemplateSettings> settings) throws ConfigException {
    Map<String, Compiled> out = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
    builtIn(
        DIGEST,
        "[alertbridge] {{ digest.alerts }} alerts in {{ digest.groups }} groups since"
            + " {{ digest.since | date(\"yyyy-MM-dd HH:mm 'UTC'\") }}",
        problems,
        out);
    builtIn(
        BACKLOG,
        "[alertbridge] backlog on route {{ route.name }}: {{ backlog.events }} old"
            + " events, {{ firing | length }} alerts still firing",
        problems,
        out);
    builtIn(
        ACKNOWLEDGED,
        "{% if ack.withdrawn %}[UNACKNOWLEDGED]{% else %}[ACKNOWLEDGED]{% endif %} {{ route.name }}"
            + "{% for l in group.labels %} {{ l.value }}{% endfor %}: {{ ack.by }}",
        problems,
        out);
    settings.forEach(
        (name, t) -> {
          String path = "templates." + name;
          PebbleTemplate subject = literal(TEXT, t.subject(), path + ".subject", problems);
          PebbleTemplate text = file(TEXT, t.text(), path + ".text", problems);
          PebbleTemplate html = file(HTML, t.html(), path + ".html", problems);
          out.put(name, new Compiled(subject, text, html));
        });
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Templates(out);
  }

  private static void builtIn(
      String name, String subject, List<ConfigProblem> problems, Map<String, Compiled> out) {
    String base = "/io/alertbridge/render/" + name.substring(name.indexOf('.') + 1);
    out.put(
        name,
        new Compiled(
            literal(TEXT, subject, name + ".subject", problems),
            literal(TEXT, resource(base + ".txt"), name + ".text", problems),
            literal(HTML, resource(base + ".html"), name + ".html", problems)));
  }

  private static String resource(String path) {
    try (var in = Templates.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing built-in template " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in template " + path, e);
    }
  }

  private static PebbleTemplate file(
      PebbleEngine engine, String file, String path, List<ConfigProblem> problems) {
    if (file == null) {
      return null;
    }
    try {
      return literal(
          engine, Files.readString(Path.of(file), StandardCharsets.UTF_8), path, problems);
    } catch (IOException e) {
      problems.add(
          new ConfigProblem(path, '"' + file + '"', "must be a readable UTF-8 file: " + e));
      return null;
    }
  }

  private static PebbleTemplate literal(
      PebbleEngine engine, String source, String path, List<ConfigProblem> problems) {
    try {
      return engine.getLiteralTemplate(source);
    } catch (PebbleException e) {
      problems.add(
          new ConfigProblem(path, null, "must be a valid Pebble template: " + e.getMessage()));
      return null;
    }
  }

  /** One template from inline sources, for mail that alertbridge writes itself (send-test). */
  public static Templates inline(String name, String subject, String text) throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    Compiled c =
        new Compiled(
            literal(TEXT, subject, name + ".subject", problems),
            literal(TEXT, text, name + ".text", problems),
            null);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Templates(Map.of(name, c));
  }

  /**
   * Renders subject and bodies. Together they may hold at most {@code maxBytes} bytes of UTF-8;
   * more is a {@link RenderException}, raised as soon as the budget is spent.
   */
  public RenderedContent render(String template, AlertEvent event, String routeName, long maxBytes)
      throws RenderException {
    return render(template, context(event, routeName), maxBytes);
  }

  /** Renders with a context of the caller's making: group mails, digests, backlog summaries. */
  public RenderedContent render(String template, Map<String, Object> context, long maxBytes)
      throws RenderException {
    Compiled c = compiled.get(template);
    if (c == null) {
      throw new RenderException("no template named " + template, null);
    }
    long[] left = {maxBytes};
    String subject =
        HeaderText.sanitize(evaluate(c.subject(), context, template + ".subject", maxBytes, left));
    Optional<String> text =
        c.text() == null
            ? Optional.empty()
            : Optional.of(evaluate(c.text(), context, template + ".text", maxBytes, left));
    Optional<String> html =
        c.html() == null
            ? Optional.empty()
            : Optional.of(evaluate(c.html(), context, template + ".html", maxBytes, left));
    RenderedContent content = new RenderedContent(subject, text, html);
    long bytes = content.utf8Length();
    if (bytes > maxBytes) {
      throw new RenderException(
          "the rendered message has "
              + bytes
              + " bytes; the limit (delivery.max-message-size) is "
              + maxBytes,
          null);
    }
    return content;
  }

  private static String evaluate(
      PebbleTemplate t, Map<String, Object> context, String what, long limit, long[] left)
      throws RenderException {
    BoundedWriter w = new BoundedWriter(limit, left[0]);
    try {
      t.evaluate(w, context);
      left[0] = w.left();
      return w.toString();
    } catch (BoundedWriter.LimitExceeded e) {
      throw new RenderException("template " + what + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new RenderException("template " + what + " failed: " + e.getMessage(), e);
    }
  }

  /** A single event seen as a group of one, so one template serves both paths. */
  private static Map<String, Object> context(AlertEvent e, String routeName) {
    Map<String, Object> alert = eventMap(e);
    alert.put("state", e.status().toString().equals("resolved") ? "resolved" : "new");
    alert.put("starts_at", alert.get("time"));
    return groupContext(routeName, null, Map.of(), List.of(alert));
  }

  /**
   * What a group mail's templates see: {@code alerts} (each an event map with {@code state}: new,
   * firing or resolved, and {@code starts_at}), {@code firing} (new and still firing), {@code new},
   * {@code resolved}, {@code counts}, {@code status} (firing while any alert fires), {@code group}
   * ({@code key}, {@code labels}), {@code route} and {@code event}: the newest alert, so templates
   * written for one event keep working.
   */
  public static Map<String, Object> groupContext(
      String routeName,
      String groupKey,
      Map<String, String> groupLabels,
      List<Map<String, Object>> alerts) {
    List<Map<String, Object>> firing =
        alerts.stream().filter(a -> !"resolved".equals(a.get("state"))).toList();
    List<Map<String, Object>> fresh =
        alerts.stream().filter(a -> "new".equals(a.get("state"))).toList();
    List<Map<String, Object>> resolved =
        alerts.stream().filter(a -> "resolved".equals(a.get("state"))).toList();
    Map<String, Object> newest = alerts.isEmpty() ? Map.of() : alerts.get(0);
    for (Map<String, Object> a : alerts) {
      if (a.get("time") instanceof java.time.OffsetDateTime t
          && newest.get("time") instanceof java.time.OffsetDateTime n
          && t.isAfter(n)) {
        newest = a;
      }
    }
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("key", groupKey == null ? "" : groupKey);
    group.put("labels", groupLabels);
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("alerts", alerts);
    context.put("firing", firing);
    context.put("new", fresh);
    context.put("resolved", resolved);
    context.put(
        "counts",
        Map.of(
            "total", alerts.size(),
            "firing", firing.size(),
            "new", fresh.size(),
            "resolved", resolved.size()));
    context.put("status", firing.isEmpty() ? "resolved" : "firing");
    context.put("group", group);
    context.put("route", Map.of("name", routeName));
    context.put("event", newest);
    return context;
  }

  /** An event as templates see it: {@code event.id}, {@code event.labels.site}, … */
  public static Map<String, Object> eventMap(AlertEvent e) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", e.id());
    event.put("time", e.time().atOffset(ZoneOffset.UTC));
    event.put("source", e.source());
    event.put("type", e.type());
    event.put("severity", e.severity().toString());
    event.put("status", e.status().toString());
    event.put("summary", e.summary());
    event.put("description", e.description());
    event.put("labels", e.labels());
    event.put("values", e.values());
    return event;
  }
}
