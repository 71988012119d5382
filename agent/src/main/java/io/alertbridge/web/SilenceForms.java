package io.alertbridge.web;

import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.MatcherException;
import io.alertbridge.silence.SilenceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The status page's two forms, for a browser without scripts: {@code POST /silences} adds one and
 * {@code POST /silences/expire} ends one, each answered 303 back to the page (post, redirect, get),
 * so a reload does not post again. A browser has no bearer header, so the form carries the token in
 * a password field; it is checked as the API checks a bearer token, after the cross-site checks.
 */
final class SilenceForms {
  static final String ADD = "/silences";
  static final String EXPIRE = "/silences/expire";

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6}[dhms])+");
  private static final Pattern PART = Pattern.compile("([0-9]+)([dhms])");

  private final Writes writes;
  private final SilenceWrites changes;
  private final Csrf csrf;

  SilenceForms(Writes writes, Csrf csrf) {
    this.writes = writes;
    this.changes = new SilenceWrites(writes);
    this.csrf = csrf;
  }

  static boolean serves(String path) {
    return path.equals(ADD) || path.equals(EXPIRE);
  }

  HttpResponse handle(HttpRequest r) {
    if (!r.method().equals("POST")) {
      return HttpResponse.text(405, "method not allowed: POST\n").with("Allow", "POST");
    }
    FormData form;
    try {
      form = FormData.parse(r.body());
    } catch (IllegalArgumentException e) {
      return HttpResponse.text(400, "malformed form: " + e.getMessage() + "\n");
    }
    String crossSite = csrf.refusal(r, form.get(Csrf.FIELD));
    if (crossSite != null) {
      return HttpResponse.text(403, crossSite + "\n");
    }
    WriteGate.Verdict v = WriteGate.formToken(writes.tokens(), form.get("token"));
    if (v.refusal() != null) {
      return v.refusal();
    }
    try {
      if (r.path().equals(ADD)) {
        add(form, v.author());
      } else if (changes.expire(nonNull(form.get("id")), v.author()).isEmpty()) {
        return HttpResponse.text(404, "no silence has the id " + form.get("id") + "\n");
      }
    } catch (MatcherException e) {
      return HttpResponse.text(400, e.getMessage() + "\n");
    } catch (SilenceStore.SilenceStoreException e) {
      return HttpResponse.text(500, "the silence was not stored: " + e.getMessage() + "\n");
    }
    return HttpResponse.text(303, "").with("Location", "/#silences");
  }

  private void add(FormData form, String author) {
    List<Matcher> matchers = new ArrayList<>();
    for (String m : words(nonNull(form.get("matchers")))) {
      matchers.add(Matcher.parse(m));
    }
    Instant start = changes.now();
    changes.add(
        matchers,
        start,
        start.plus(duration(nonNull(form.get("duration")).strip())),
        author,
        nonNull(form.get("comment")).strip(),
        form.get("expire-on-resolve") != null);
  }

  /** {@code 2h}, {@code 90m}, {@code 1d12h}: the durations amtool and the CLI take. */
  static Duration duration(String text) {
    if (!DURATION.matcher(text).matches()) {
      throw new MatcherException("duration " + text + ": write it like 2h, 30m or 1d12h");
    }
    Duration d = Duration.ZERO;
    java.util.regex.Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
    }
    return d;
  }

  /** Matchers one per line or separated by spaces; a double-quoted value may hold spaces. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\' && i + 1 < text.length()) {
        w.append(c).append(text.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
        w.append(c);
      } else if (!quoted && Character.isWhitespace(c)) {
        if (!w.isEmpty()) {
          words.add(w.toString());
          w.setLength(0);
        }
      } else {
        w.append(c);
      }
    }
    if (!w.isEmpty()) {
      words.add(w.toString());
    }
    return words;
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }
}
