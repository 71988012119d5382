package io.alertbridge.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}}, {@code ${NAME:-default}} and {@code ${file:/path}} in configuration
 * values; {@code $${} stays a literal {@code ${}.
 *
 * <p>Substitution happens on parsed YAML scalars, not on the raw text, so a value such as a
 * password containing {@code ": "} or {@code "#"} cannot change the document's structure.
 */
final class EnvSubstitutor {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$\\{|\\$\\{(?:file:([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)}");

  private final Map<String, String> env;

  EnvSubstitutor(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  String substitute(String value, String path) throws ConfigException {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(value, last, m.start());
      out.append(replacement(m, path));
      last = m.end();
    }
    if (last == 0 && !value.contains("${")) {
      return value;
    }
    String rest = value.substring(last);
    if (rest.contains("${")) {
      throw new ConfigException(
          path, quote(value), "has an unterminated or malformed ${...} reference");
    }
    return out.append(rest).toString();
  }

  private String replacement(Matcher m, String path) throws ConfigException {
    if (m.group().equals("$${")) {
      return "${";
    }
    if (m.group(1) != null) {
      return readSecretFile(m.group(1).trim(), path);
    }
    String name = m.group(2);
    String found = env.get(name);
    if (found != null && !(found.isEmpty() && m.group(3) != null)) {
      return found;
    }
    if (m.group(3) != null) {
      return m.group(3);
    }
    throw new ConfigException(
        path,
        m.group(),
        "environment variable " + name + " is not set and the reference gives no default");
  }

  private static String readSecretFile(String file, String path) throws ConfigException {
    try {
      String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      // Secret files usually end with one newline that is not part of the secret.
      return content.endsWith("\r\n")
          ? content.substring(0, content.length() - 2)
          : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          path, "${file:" + file + "}", "the file must exist and be readable: " + e);
    }
  }

  static String quote(String s) {
    return '"' + s + '"';
  }
}
