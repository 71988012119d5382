package io.alertbridge.config;

/**
 * Who may write over HTTP (silences, {@code POST /-/reload}, the status page's forms).
 *
 * @param tokensFile lines {@code name:token}; a request's {@code Authorization: Bearer TOKEN} names
 *     its author. Must not be readable by others (startup refuses it otherwise)
 */
public record HttpAuthSettings(String tokensFile) {}
