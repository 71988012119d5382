package io.alertbridge.config;

import io.alertbridge.audit.FsyncPolicy;
import java.time.Duration;

/**
 * Where the JSON-lines audit trail is appended (relative to the working directory), and how often
 * it is forced to disk.
 */
public record AuditSettings(String file, FsyncPolicy fsync, Duration fsyncInterval) {
  public AuditSettings {
    fsync = fsync == null ? FsyncPolicy.INTERVAL : fsync;
    fsyncInterval = fsyncInterval == null ? Duration.ofSeconds(1) : fsyncInterval;
  }
}
