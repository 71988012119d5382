package io.alertbridge.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the YAML configuration, substitutes the environment into its values, binds it to typed
 * records and validates it. Every rule lives here or in {@link ConfigValidator}; a configuration
 * that comes out of {@link #load} is fit to run.
 */
public final class ConfigLoader {
  private final Map<String, String> env;

  /**
   * @param env the environment for {@code ${NAME}} references, usually {@code System.getenv()}
   */
  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public AlertbridgeConfig load(Path file) throws ConfigException {
    JsonNode tree = readTree(file);
    substitute(tree, "", new EnvSubstitutor(env));
    AlertbridgeConfig bound = bind(tree);
    Path baseDir = file.toAbsolutePath().getParent();
    AlertbridgeConfig resolved = withResolvedTemplates(bound, baseDir);
    List<ConfigProblem> problems = new ConfigValidator(resolved).validate();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return resolved;
  }

  private static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .addModule(ValueDeserializers.module())
          .build();

  private static JsonNode readTree(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(
          "(file)", file.toString(), "the configuration file must exist and be readable: " + e);
    }
    try {
      JsonNode tree = MAPPER.readTree(text);
      if (tree == null || !tree.isObject()) {
        throw new ConfigException(
            "(root)",
            tree == null ? "an empty document" : tree.getNodeType().toString(),
            "the configuration must be a YAML mapping");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          "(file)",
          file.toString(),
          "must be valid YAML: " + e.getOriginalMessage() + " at " + location(e));
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? "unknown position"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static void substitute(JsonNode node, String path, EnvSubstitutor substitutor)
      throws ConfigException {
    if (node instanceof ObjectNode object) {
      Map<String, JsonNode> replaced = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : object.properties()) {
        String childPath = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
        if (f.getValue().isTextual()) {
          replaced.put(
              f.getKey(),
              TextNode.valueOf(substitutor.substitute(f.getValue().asText(), childPath)));
        } else {
          substitute(f.getValue(), childPath, substitutor);
        }
      }
      object.setAll(replaced);
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String childPath = path + "[" + i + "]";
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(substitutor.substitute(array.get(i).asText(), childPath)));
        } else {
          substitute(array.get(i), childPath, substitutor);
        }
      }
    }
  }

  private static AlertbridgeConfig bind(JsonNode tree) throws ConfigException {
    try {
      return MAPPER.treeToValue(tree, AlertbridgeConfig.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(List.of(describe(e)));
    } catch (JsonProcessingException e) {
      throw new ConfigException("(root)", null, e.getOriginalMessage());
    }
  }

  static ConfigProblem describe(JsonMappingException e) {
    String path = path(e.getPath());
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          new TreeSet<>(
                  u.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .collect(Collectors.toList()))
              .toString();
      return new ConfigProblem(path, null, "unknown key; known keys here are " + known);
    }
    if (e instanceof ValueDeserializers.BadValue bad) {
      return new ConfigProblem(path, masked(path, bad.found), bad.rule);
    }
    if (e instanceof InvalidFormatException f) {
      return new ConfigProblem(
          path,
          masked(path, '"' + String.valueOf(f.getValue()) + '"'),
          "must be " + kind(f.getTargetType()));
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new ConfigProblem(path, null, "must be " + kind(m.getTargetType()));
    }
    return new ConfigProblem(path, null, e.getOriginalMessage());
  }

  private static String kind(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping of keys to values";
    }
    return "a single value (a string)";
  }

  private static String masked(String path, String found) {
    return path.endsWith("password") ? "(hidden)" : found;
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(root)" : sb.toString();
  }

  private static AlertbridgeConfig withResolvedTemplates(AlertbridgeConfig c, Path baseDir) {
    Map<String, TemplateSettings> resolved = new LinkedHashMap<>();
    c.templates()
        .forEach(
            (name, t) ->
                resolved.put(
                    name,
                    t == null
                        ? null
                        : new TemplateSettings(
                            t.subject(), resolve(baseDir, t.text()), resolve(baseDir, t.html()))));
    return new AlertbridgeConfig(
        c.kafka(),
        c.smtp(),
        c.lists(),
        c.routes(),
        resolved,
        c.audit(),
        c.delivery(),
        c.policy(),
        new HttpSettings(
            c.http().listen(),
            c.http().metricsListen(),
            c.http().auth() == null
                ? null
                : new HttpAuthSettings(resolve(baseDir, c.http().auth().tokensFile())),
            c.http().publicUrl(),
            resolve(baseDir, c.http().linkKeyFile())),
        c.logging(),
        c.inhibit(),
        c.inbound());
  }

  private static String resolve(Path baseDir, String file) {
    return file == null || file.isBlank() ? null : baseDir.resolve(file).normalize().toString();
  }
}
