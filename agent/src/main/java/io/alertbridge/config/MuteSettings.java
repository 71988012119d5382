package io.alertbridge.config;

import java.util.List;

/**
 * A recurring interval during which a route mails nothing, e.g. {@code {weekdays: [saturday,
 * sunday], times: "00:00-06:00", timezone: Europe/Berlin}}. Missing weekdays mean every day;
 * missing times the whole day; missing timezone UTC. An interval whose end is before its start runs
 * past midnight.
 */
public record MuteSettings(List<String> weekdays, String times, String timezone) {
  public MuteSettings {
    weekdays = Copies.list(weekdays);
  }
}
