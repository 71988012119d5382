package io.alertbridge.silence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable snapshot of silences, indexed so that an alert's look-up costs a few hash lookups
 * however many silences there are (issue 17: 1,000 silences may cost the policy at most 10% of its
 * events/s). Each silence with an equality matcher of a non-empty value ({@code
 * labels.sensor="T3"}) is filed under that one name and value, since an alert it matches must carry
 * exactly that value; of several such matchers the rarest among all silences is chosen, so buckets
 * stay small. The few silences without one (regular expressions only) are scanned.
 */
public final class SilenceIndex {
  /** Of two silences that cover an alert, the one that ends last; ties by id, to be stable. */
  static final Comparator<Silence> LATEST_END =
      Comparator.comparing(Silence::endsAt).thenComparing(Silence::id);

  public static final SilenceIndex EMPTY = of(List.of());

  private final Map<String, Map<String, List<Silence>>> byField;
  private final List<Silence> scanned;
  private final int size;

  private SilenceIndex(
      Map<String, Map<String, List<Silence>>> byField, List<Silence> scanned, int size) {
    this.byField = byField;
    this.scanned = scanned;
    this.size = size;
  }

  /** An index of these silences, in any state: whether one is active is asked at look-up time. */
  public static SilenceIndex of(Collection<Silence> silences) {
    Map<Matcher, Integer> frequency = new HashMap<>();
    for (Silence s : silences) {
      for (Matcher m : s.matchers()) {
        if (indexable(m)) {
          frequency.merge(m, 1, Integer::sum);
        }
      }
    }
    Map<String, Map<String, List<Silence>>> byField = new HashMap<>();
    List<Silence> scanned = new ArrayList<>();
    for (Silence s : silences) {
      Optional<Matcher> key =
          s.matchers().stream()
              .filter(SilenceIndex::indexable)
              .min(Comparator.comparing(frequency::get));
      if (key.isPresent()) {
        byField
            .computeIfAbsent(key.get().name(), n -> new HashMap<>())
            .computeIfAbsent(key.get().value(), v -> new ArrayList<>())
            .add(s);
      } else {
        scanned.add(s);
      }
    }
    return new SilenceIndex(byField, List.copyOf(scanned), silences.size());
  }

  private static boolean indexable(Matcher m) {
    return m.op() == Matcher.Op.EQUAL && !m.value().isEmpty();
  }

  /** The silence active at {@code at} that covers the alert; of several, the one ending last. */
  public Optional<Silence> silencing(AlertFields alert, Instant at) {
    Silence best = null;
    if (!byField.isEmpty()) {
      // An indexed silence requires a non-empty field, and all() holds every non-empty field.
      for (Map.Entry<String, String> f : alert.all().entrySet()) {
        Map<String, List<Silence>> values = byField.get(f.getKey());
        List<Silence> bucket = values == null ? null : values.get(f.getValue());
        if (bucket != null) {
          best = better(best, bucket, alert, at);
        }
      }
    }
    best = better(best, scanned, alert, at);
    return Optional.ofNullable(best);
  }

  private static Silence better(Silence best, List<Silence> candidates, AlertFields a, Instant at) {
    for (Silence s : candidates) {
      if ((best == null || LATEST_END.compare(s, best) > 0) && s.activeAt(at) && s.matches(a)) {
        best = s;
      }
    }
    return best;
  }

  /** How many silences it holds. */
  public int size() {
    return size;
  }

  /** How many are looked at for every alert, whatever its fields: a measure of the index's cost. */
  public int scanned() {
    return scanned.size();
  }
}
