package io.alertbridge.render;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The output of a template for one event: a sanitised subject and one or two bodies. */
public record RenderedContent(String subject, Optional<String> text, Optional<String> html) {
  /** Subject and bodies in UTF-8 bytes, before any transfer encoding. */
  long utf8Length() {
    return utf8(subject)
        + text.map(RenderedContent::utf8).orElse(0L)
        + html.map(RenderedContent::utf8).orElse(0L);
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
