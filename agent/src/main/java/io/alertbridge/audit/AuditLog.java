package io.alertbridge.audit;

/**
 * Where audit records go. Implementations are thread-safe and durable once {@code append} returns.
 */
public interface AuditLog extends AutoCloseable {
  void append(AuditRecord record);

  @Override
  void close();
}
