package io.alertbridge.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.InhibitRule;
import io.alertbridge.silence.Silence;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The firing alerts that other alerts' fate depends on, as every instance sees them: inhibition
 * rules' sources, and alerts covered by silences that expire on resolve. The group step that owns
 * such an alert writes it to the compacted topic {@code STATE-watched} (key: group key, '|',
 * fingerprint) while it fires and deletes it when it stops; each instance reads that topic whole
 * into this view. So an inhibition holds across partitions and instances (issue 17), as
 * Alertmanager's does within its one process.
 */
public final class WatchedAlerts {
  private static final Logger log = LoggerFactory.getLogger(WatchedAlerts.class);

  /** More watched alerts than this are not kept (and counted): the view lives on every heap. */
  static final int MAX_WATCHED = 10_000;

  /** A watched alert as its topic holds it. */
  record Watched(
      @JsonProperty("v") int v,
      String fingerprint,
      String source,
      String type,
      String severity,
      Map<String, String> labels,
      long since) {
    static final int VERSION = 1;

    AlertFields fields() {
      return AlertFields.of(source, type, severity, labels);
    }
  }

  /** The sources of one rule, by the values of its {@code equal} fields. */
  private record Index(long version, List<InhibitRule> rules, List<Map<String, String>> byRule) {}

  private final Map<String, Watched> alerts = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile Index index = new Index(-1, List.of(), List.of());

  /** A record of the watched topic: a firing alert, or (null value) one that stopped. */
  public void apply(String key, byte[] value) {
    if (value == null) {
      if (alerts.remove(key) != null) {
        version.incrementAndGet();
      }
      return;
    }
    Watched w;
    try {
      w = PolicyJson.read(value, Watched.class);
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("watched alert {}: unreadable, skipped: {}", key, e.toString());
      return;
    }
    if (w.v() != Watched.VERSION) {
      log.warn("watched alert {}: version {} unknown, skipped", key, w.v());
      return;
    }
    if (!alerts.containsKey(key) && alerts.size() >= MAX_WATCHED) {
      dropped.incrementAndGet();
      return;
    }
    alerts.put(key, w);
    version.incrementAndGet();
  }

  /** Counts changes: an answer derived from the watched alerts holds while it stays. */
  long version() {
    return version.get();
  }

  /** How many watched alerts did not fit ({@link #MAX_WATCHED}). */
  public long dropped() {
    return dropped.get();
  }

  public int size() {
    return alerts.size();
  }

  /**
   * The fingerprint of a firing source alert that inhibits {@code target} under {@code rules}, if
   * any. An alert never inhibits itself.
   */
  Optional<String> inhibitor(AlertFields target, String targetFp, List<InhibitRule> rules) {
    if (rules.isEmpty() || alerts.isEmpty()) {
      return Optional.empty();
    }
    Index ix = index(rules);
    for (int i = 0; i < rules.size(); i++) {
      InhibitRule r = rules.get(i);
      if (!r.targetMatches(target)) {
        continue;
      }
      String source = ix.byRule().get(i).get(r.equalKey(target));
      if (source != null && !source.equals(targetFp)) {
        return Optional.of(source);
      }
      if (source != null) {
        // The only source with these values is the target itself: look for another.
        for (Watched w : alerts.values()) {
          AlertFields f = w.fields();
          if (!w.fingerprint().equals(targetFp)
              && r.sourceMatches(f)
              && r.equalKey(f).equals(r.equalKey(target))) {
            return Optional.of(w.fingerprint());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Whether any watched alert fires that {@code s} covers (for expire-on-resolve). */
  public boolean covers(Silence s) {
    for (Watched w : alerts.values()) {
      if (s.matches(w.fields())) {
        return true;
      }
    }
    return false;
  }

  private Index index(List<InhibitRule> rules) {
    Index ix = index;
    long v = version.get();
    if (ix.version() == v && ix.rules() == rules) {
      return ix;
    }
    List<Map<String, String>> byRule = new java.util.ArrayList<>();
    for (InhibitRule r : rules) {
      Map<String, String> m = new HashMap<>();
      for (Watched w : alerts.values()) {
        AlertFields f = w.fields();
        if (r.sourceMatches(f)) {
          m.putIfAbsent(r.equalKey(f), w.fingerprint());
        }
      }
      byRule.add(m);
    }
    ix = new Index(v, rules, byRule);
    index = ix;
    return ix;
  }

  static Watched of(String fp, AlertSnapshot s, long since) {
    return new Watched(Watched.VERSION, fp, s.source(), s.type(), s.severity(), s.labels(), since);
  }
}
