package io.alertbridge.imap;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Records what the watcher offered; answers with a disposition chosen from the message text. */
final class RecordingHandler implements InboundHandler {
  final List<String> handled = new CopyOnWriteArrayList<>();
  final List<String> oversized = new CopyOnWriteArrayList<>();
  private final Function<String, Disposition> answer;

  RecordingHandler(Function<String, Disposition> answer) {
    this.answer = answer;
  }

  RecordingHandler() {
    this(raw -> raw.contains("Subject: reject") ? Disposition.REJECTED : Disposition.PROCESSED);
  }

  @Override
  public Disposition handle(byte[] raw, long uid) throws Exception {
    String text = new String(raw, StandardCharsets.UTF_8);
    Disposition d = answer.apply(text);
    handled.add(subject(text));
    return d;
  }

  @Override
  public void oversized(long uid, long size, String messageId) {
    oversized.add(messageId);
  }

  static String subject(String raw) {
    for (String line : raw.split("\r?\n")) {
      if (line.startsWith("Subject: ")) {
        return line.substring(9);
      }
    }
    return "";
  }
}
