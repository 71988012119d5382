package io.alertbridge.config;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration, as loaded from YAML, environment-substituted and validated once by
 * {@link ConfigLoader}. Nothing downstream re-validates it.
 */
public record AlertbridgeConfig(
    KafkaSettings kafka,
    SmtpSettings smtp,
    Map<String, ListSettings> lists,
    List<RouteSettings> routes,
    Map<String, TemplateSettings> templates,
    AuditSettings audit,
    DeliverySettings delivery,
    PolicySettings policy,
    HttpSettings http,
    LoggingSettings logging,
    List<InhibitSettings> inhibit,
    InboundSettings inbound) {
  public AlertbridgeConfig {
    lists = Copies.map(lists);
    routes = Copies.list(routes);
    templates = Copies.map(templates);
    delivery = delivery == null ? DeliverySettings.DEFAULTS : delivery;
    policy = policy == null ? PolicySettings.defaults() : policy;
    http = http == null ? HttpSettings.OFF : http;
    logging = logging == null ? LoggingSettings.DEFAULTS : logging;
    inhibit = Copies.list(inhibit);
  }
}
