package io.alertbridge.policy;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.FlapSettings;
import io.alertbridge.config.MuteWindow;
import io.alertbridge.config.RouteSettings;
import io.alertbridge.route.Route;
import io.alertbridge.route.Router;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A route's notification policy, compiled from its settings.
 *
 * @param flap its chattering-alarm detection; null: off
 * @param followups escalation, acknowledgement lifetime and bounce fallback (issue 18)
 */
public record RoutePolicy(
    String name,
    Function<Instant, List<String>> recipientsAt,
    String template,
    List<String> groupBy,
    Duration groupWait,
    Duration groupInterval,
    Duration repeatInterval,
    boolean sendResolved,
    List<MuteWindow> mute,
    Duration alertTimeout,
    boolean resolveOnTimeout,
    FlapSettings flap,
    Followups followups) {
  public RoutePolicy {
    followups = followups == null ? Followups.NONE : followups;
    groupBy = List.copyOf(groupBy);
    mute = List.copyOf(mute);
  }

  /** A route without follow-ups (tests, and routes of the configuration before issue 18). */
  public RoutePolicy(
      String name,
      Function<Instant, List<String>> recipientsAt,
      String template,
      List<String> groupBy,
      Duration groupWait,
      Duration groupInterval,
      Duration repeatInterval,
      boolean sendResolved,
      List<MuteWindow> mute,
      Duration alertTimeout,
      boolean resolveOnTimeout,
      FlapSettings flap) {
    this(
        name,
        recipientsAt,
        template,
        groupBy,
        groupWait,
        groupInterval,
        repeatInterval,
        sendResolved,
        mute,
        alertTimeout,
        resolveOnTimeout,
        flap,
        Followups.NONE);
  }

  /** Who a mail of the route sent at {@code at} goes to: a rota's watch then. */
  public List<String> recipients(Instant at) {
    return recipientsAt.apply(at);
  }

  public boolean mutedAt(Instant t) {
    return MuteWindow.muted(mute, t);
  }

  /** The policies of a validated configuration's routes, by route name, in route order. */
  public static Map<String, RoutePolicy> of(AlertbridgeConfig config, Router router) {
    List<Route> routes = router.routes();
    Map<String, RoutePolicy> out = new LinkedHashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      Route r = routes.get(i);
      RouteSettings s = config.routes().get(i);
      out.put(
          r.name(),
          new RoutePolicy(
              r.name(),
              t -> r.recipients(t).stream().map(InternetAddress::getAddress).toList(),
              r.template(),
              s.groupBy(),
              s.groupWait(),
              s.groupInterval(),
              s.repeatInterval(),
              s.sendResolved(),
              s.mute().stream().map(MuteWindow::of).toList(),
              s.alertTimeout(),
              RouteSettings.RESOLVE.equals(s.onAlertTimeout()),
              s.flapDetection(),
              Followups.of(s, Followups.lists(router.recipients()))));
    }
    return out;
  }
}
