package io.alertbridge.delivery;

import io.alertbridge.audit.AuditStatus;

/** Why a record goes to the dead-letter topic; becomes its {@code alertbridge.*} headers. */
public record DeadLetter(AuditStatus status, String reason) {}
