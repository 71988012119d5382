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
    List<MuteSettings> mute) {
  public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

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
  }
}
