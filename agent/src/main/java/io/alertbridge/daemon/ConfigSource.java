package io.alertbridge.daemon;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.ConfigException;

/**
 * Where a reload reads the configuration again: the file the daemon was started with, through the
 * same loader and environment, so a reload validates exactly as startup and {@code check-config}
 * do.
 */
@FunctionalInterface
public interface ConfigSource {
  AlertbridgeConfig load() throws ConfigException;
}
