package io.alertbridge.daemon;

import io.alertbridge.config.AlertbridgeConfig;
import io.alertbridge.config.PolicySettings;
import io.alertbridge.delivery.DirectPlanner;
import io.alertbridge.event.EventDecoder;
import io.alertbridge.policy.NotificationPlanner;
import io.alertbridge.policy.PolicySwitch;
import io.alertbridge.render.MessageComposer;
import io.alertbridge.route.Router;
import java.time.Clock;
import java.util.Optional;

/** With {@code policy.enabled: false}: the delivery stage reads the alert topics itself. */
final class DirectPathWiring {
  private DirectPathWiring() {}

  static DeliveryInput build(
      AlertbridgeConfig config,
      Clock clock,
      EventDecoder decoder,
      Router router,
      MessageComposer composer,
      PolicySwitch policySwitch) {
    PolicySettings p = config.policy();
    // The policy's settings need a restart (ConfigReloader): those it started with stay.
    Replanner replanner =
        (c, r, comp) ->
            // The notification planner too: notifications the policy wrote before it was switched
            // off are still mailed (PolicySwitch).
            policySwitch.directPlanner(
                new DirectPlanner(decoder, r, comp, c.delivery().maxEventAge(), clock),
                new NotificationPlanner(comp, p.maxMailsPerRecipient(), p.maxEventAge()));
    return new DeliveryInput(
        replanner.plan(config, router, composer),
        config.kafka(),
        Optional.empty(),
        Optional.empty(),
        replanner);
  }
}
