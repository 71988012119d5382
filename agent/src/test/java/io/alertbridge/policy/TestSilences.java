package io.alertbridge.policy;

import io.alertbridge.silence.AlertFields;
import io.alertbridge.silence.Matcher;
import io.alertbridge.silence.Silence;
import io.alertbridge.silence.Silences;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Silences a unit test sets by hand, as the Kafka-backed view would hold them. */
final class TestSilences implements Silences {
  private final List<Silence> all = new CopyOnWriteArrayList<>();

  Silence add(String id, Instant start, Instant end, boolean expireOnResolve, String... matchers) {
    List<Matcher> ms = new ArrayList<>();
    for (String m : matchers) {
      ms.add(Matcher.parse(m));
    }
    Silence s = new Silence(id, ms, start, end, "tester", "a test", expireOnResolve, start);
    all.add(s);
    return s;
  }

  @Override
  public Optional<Silence> silencing(AlertFields alert, Instant at) {
    return all.stream()
        .filter(s -> s.activeAt(at) && s.matches(alert))
        .max(Comparator.comparing(Silence::endsAt));
  }

  @Override
  public List<Silence> all() {
    return List.copyOf(all);
  }
}
