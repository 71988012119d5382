package io.alertbridge.smtp;

import java.io.IOException;

/**
 * Access tokens for AUTH XOAUTH2 (Microsoft 365, Gmail). A token is a password with an expiry:
 * implementations cache it and never log it.
 */
public interface OAuth2Tokens {
  /** A token valid now, fetched or read only when the cached one is about to expire. */
  String token() throws IOException;

  /** Forgets the cached token: the server refused it (revoked, rotated) and a new one is needed. */
  void invalidate();
}
