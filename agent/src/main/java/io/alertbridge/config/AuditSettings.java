package io.alertbridge.config;

/** Where the JSON-lines audit trail is appended; relative to the working directory. */
public record AuditSettings(String file) {}
