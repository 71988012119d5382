package io.alertbridge.delivery;

import io.alertbridge.audit.AuditStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a record goes to the dead-letter topic; becomes its {@code alertbridge.*} headers.
 *
 * @param exception the failure's class, message and first stack frames, when an exception (not a
 *     server's reply or a validation rule) put the record here
 */
public record DeadLetter(AuditStatus status, String reason, Optional<String> exception) {
  /** Enough stack to find the bug, small enough for a Kafka header. */
  static final int MAX_EXCEPTION_CHARS = 4096;

  public DeadLetter {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(exception, "exception");
  }

  public DeadLetter(AuditStatus status, String reason) {
    this(status, reason, Optional.empty());
  }

  public static DeadLetter ofException(String reason, Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    String text = trace.toString();
    if (text.length() > MAX_EXCEPTION_CHARS) {
      text = text.substring(0, MAX_EXCEPTION_CHARS) + "\n\t...";
    }
    return new DeadLetter(AuditStatus.DEAD_LETTERED, reason, Optional.of(text));
  }
}
