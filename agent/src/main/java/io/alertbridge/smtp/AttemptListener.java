package io.alertbridge.smtp;

/** Told about every SMTP transaction attempt and how it ended, for metrics. */
@FunctionalInterface
public interface AttemptListener {
  AttemptListener NONE = (server, result, nanos) -> {};

  /**
   * @param result the reply class ({@code 2xx}, {@code 4xx}, {@code 5xx}), or {@code no_reply}
   *     (nothing after the final dot) or {@code io_error} (no reply at all)
   */
  void attempt(String server, String result, long nanos);

  static String resultOf(SmtpSubmissionException e) {
    if (e.reply().isPresent()) {
      return e.reply().get().code() / 100 + "xx";
    }
    return e.uncertain() ? "no_reply" : "io_error";
  }
}
