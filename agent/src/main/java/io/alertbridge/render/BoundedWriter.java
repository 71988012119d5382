package io.alertbridge.render;

import java.io.IOException;
import java.io.Writer;

/**
 * A string writer that refuses to grow past a budget, so a template looping over hostile event data
 * fails with a render error instead of filling the heap.
 */
final class BoundedWriter extends Writer {
  /** Thrown when the budget is spent; carries the limit for the error message. */
  static final class LimitExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    LimitExceeded(long limit) {
      super("the rendered message exceeds delivery.max-message-size (" + limit + " bytes)");
    }
  }

  private final StringBuilder out = new StringBuilder();
  private final long limit;
  private long left;

  BoundedWriter(long limit, long left) {
    this.limit = limit;
    this.left = left;
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    if (len > left) {
      throw new LimitExceeded(limit);
    }
    left -= len;
    out.append(cbuf, off, len);
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    if (len > left) {
      throw new LimitExceeded(limit);
    }
    left -= len;
    out.append(str, off, off + len);
  }

  long left() {
    return left;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
