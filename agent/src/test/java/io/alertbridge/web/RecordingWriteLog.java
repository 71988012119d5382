package io.alertbridge.web;

import io.alertbridge.silence.Silence;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the daemon would audit, as lines {@code added ID by AUTHOR} / {@code expired ID by AUTHOR}.
 */
public final class RecordingWriteLog implements WriteLog {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void silenceAdded(Silence silence, String author) {
    lines.add("added " + silence.id() + " by " + author);
  }

  @Override
  public void silenceExpired(Silence silence, String author) {
    lines.add("expired " + silence.id() + " by " + author);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }
}
