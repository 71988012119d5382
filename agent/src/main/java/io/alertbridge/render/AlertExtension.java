package io.alertbridge.render;

import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Test;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.List;
import java.util.Map;

/**
 * Adds the {@code number} test to Pebble ({@code {% if v is number %}}): event values are numbers
 * or strings, and {@code numberformat} must only see numbers.
 */
final class AlertExtension extends AbstractExtension {
  @Override
  public Map<String, Test> getTests() {
    return Map.of("number", new NumberTest());
  }

  private static final class NumberTest implements Test {
    @Override
    public boolean apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        EvaluationContext context,
        int lineNumber) {
      return input instanceof Number;
    }

    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }
  }
}
