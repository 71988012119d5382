package io.alertbridge.daemon;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.delivery.MailPlanner;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.route.Router;

/**
 * Builds the delivery stage's planner of one path from a configuration: at start, and again at each
 * reload, so both build it the same way.
 */
@FunctionalInterface
interface Replanner {
  MailPlanner plan(AlertbridgeConfig config, Router router, MessageComposer composer);
}
