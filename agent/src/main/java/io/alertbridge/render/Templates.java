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
 * labels, values) and {@code route} (name).
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

  /** Compiles every template; a syntax error is a configuration error naming the template file. */
  public static Templates compile(Map<String, TemplateSettings> settings) throws ConfigException {
    Map<String, Compiled> out = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>();
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
    Compiled c = compiled.get(template);
    if (c == null) {
      throw new RenderException("no template named " + template, null);
    }
    Map<String, Object> context = context(event, routeName);
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

  private static Map<String, Object> context(AlertEvent e, String routeName) {
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
    return Map.of("event", event, "route", Map.of("name", routeName));
  }
}
