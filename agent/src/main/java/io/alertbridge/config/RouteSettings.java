package io.alertbridge.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * One route: which events it takes, who gets them, with which template, and how its alerts are
 * grouped into mails (Alertmanager's meanings; docs/policy.md).
 *
 * @param groupBy event fields ({@code source}, {@code type}, {@code severity}, {@code id}) and
 *     {@code labels.NAME}; empty: one group per alert (its fingerprint)
 * @param alertTimeout a firing alert without a reading for this long ends (Alertmanager's {@code
 *     resolve_timeout}); null: alerts end only with a resolved reading, for producers that publish
 *     on change only
 * @param onAlertTimeout how it ends: {@code report} (mailed once as timed out, "no reading since
 *     …") or {@code resolve} (as if a resolved reading came)
 * @param flapDetection chattering-alarm detection; null: off
 * @param escalate who is told next while an incident stays unacknowledged (issue 18); empty: no
 *     escalation
 * @param ackTtl how long an acknowledgement holds; null: until the incident resolves
 * @param onBounce who is told when a mail bounced for every recipient of the route; empty: nobody
 */
public record RouteSettings(
    String name,
    MatchSettings match,
    List<String> to,
    String template,
    @JsonProperty("continue") Boolean continueMatching,
    List<String> groupBy,
    Duration groupWait,
    Duration groupInterval,
    Duration repeatInterval,
    Boolean sendResolved,
    List<MuteSettings> mute,
    Duration alertTimeout,
    String onAlertTimeout,
    FlapSettings flapDetection,
    List<EscalationStep> escalate,
    Duration ackTtl,
    List<String> onBounce) {
  public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
  public static final String REPORT = "report";
  public static final String RESOLVE = "resolve";

  public RouteSettings {
    match = match == null ? MatchSettings.ANY : match;
    to = Copies.list(to);
    continueMatching = continueMatching != null && continueMatching;
    groupBy = Copies.list(groupBy);
    groupWait = groupWait == null ? DEFAULT_GROUP_WAIT : groupWait;
    groupInterval = groupInterval == null ? DEFAULT_GROUP_INTERVAL : groupInterval;
    repeatInterval = repeatInterval == null ? DEFAULT_REPEAT_INTERVAL : repeatInterval;
    sendResolved = sendResolved == null || sendResolved;
    mute = Copies.list(mute);
    onAlertTimeout = onAlertTimeout == null ? REPORT : onAlertTimeout;
    escalate = Copies.list(escalate);
    onBounce = Copies.list(onBounce);
  }

  /**
   * One escalation step: mailed {@code after} the incident's first mail if nobody acknowledged it.
   *
   * @param to addresses and {@code list:NAME}, resolved when the step is sent
   */
  public record EscalationStep(Duration after, List<String> to) {
    public EscalationStep {
      to = Copies.list(to);
    }
  }
}
