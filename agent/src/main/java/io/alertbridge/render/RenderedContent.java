package io.alertbridge.render;

import java.util.Optional;

/** The output of a template for one event: a sanitised subject and one or two bodies. */
public record RenderedContent(String subject, Optional<String> text, Optional<String> html) {}
