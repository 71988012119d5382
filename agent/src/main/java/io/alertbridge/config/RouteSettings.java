package io.alertbridge.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One route: which events it takes, who gets them, with which template. */
public record RouteSettings(
    String name,
    MatchSettings match,
    List<String> to,
    String template,
    @JsonProperty("continue") Boolean continueMatching) {
  public RouteSettings {
    match = match == null ? MatchSettings.ANY : match;
    to = Copies.list(to);
    continueMatching = continueMatching != null && continueMatching;
  }
}
