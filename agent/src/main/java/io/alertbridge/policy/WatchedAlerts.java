package io.alertbridge.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.InhibitRule;
import io.alertbridge.silence.Silence;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /**
   * The watched alerts that are sources of each rule, by the values of its {@code equal} fields
   * (keys of {@link #alerts}). Kept up to date record by record, so a source that starts or stops
   * costs its own rules' matchers, never a rebuild; rebuilt whole only for new rules (a reload).
   */
  private record Index(List<InhibitRule> rules, List<Map<String, Set<String>>> byRule) {
    void add(String key, Watched w) {
      AlertFields f = w.fields();
      for (int i = 0; i < rules.size(); i++) {
        InhibitRule r = rules.get(i);
        if (r.sourceMatches(f)) {
          byRule.get(i).computeIfAbsent(r.equalKey(f), k -> ConcurrentHashMap.newKeySet()).add(key);
        }
      }
    }

    void remove(String key, Watched w) {
      AlertFields f = w.fields();
      for (int i = 0; i < rules.size(); i++) {
        InhibitRule r = rules.get(i);
        Set<String> keys = byRule.get(i).get(r.equalKey(f));
        if (keys != null) {
          keys.remove(key);
        }
      }
    }
  }

  private final Map<String, Watched> alerts = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private volatile Index index = new Index(List.of(), List.of());

  /** A record of the watched topic: a firing alert, or (null value) one that stopped. */
  public void apply(String key, byte[] value) {
    Watched w = null;
    if (value != null) {
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
    }
    synchronized (this) {
      if (w != null && !alerts.containsKey(key) && alerts.size() >= MAX_WATCHED) {
        dropped.incrementAndGet();
        return;
      }
      Watched old = w == null ? alerts.remove(key) : alerts.put(key, w);
      if (old == null && w == null) {
        return;
      }
      Index ix = index;
      if (old != null) {
        ix.remove(key, old);
      }
      if (w != null) {
        ix.add(key, w);
      }
      version.incrementAndGet();
    }
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
      Set<String> keys = ix.byRule().get(i).get(r.equalKey(target));
      if (keys == null) {
        continue;
      }
      for (String k : keys) {
        Watched source = alerts.get(k);
        if (source != null && !source.fingerprint().equals(targetFp)) {
          return Optional.of(source.fingerprint());
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
    if (ix.rules() == rules) {
      return ix;
    }
    synchronized (this) {
      if (index.rules() != rules) {
        List<Map<String, Set<String>>> byRule = new java.util.ArrayList<>();
        rules.forEach(r -> byRule.add(new ConcurrentHashMap<>()));
        Index fresh = new Index(rules, byRule);
        alerts.forEach(fresh::add);
        index = fresh;
      }
      return index;
    }
  }

  static Watched of(String fp, AlertSnapshot s, long since) {
    return new Watched(Watched.VERSION, fp, s.source(), s.type(), s.severity(), s.labels(), since);
  }
}
