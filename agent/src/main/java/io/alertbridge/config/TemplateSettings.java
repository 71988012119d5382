package io.alertbridge.config;

/**
 * A message template: an inline subject template and text and/or HTML body template files. {@link
 * ConfigLoader} resolves relative file paths against the configuration file's folder.
 */
public record TemplateSettings(String subject, String text, String html) {}
