package io.alertbridge.web;

import java.util.Map;

/**
 * A complete request: its head and its body, empty when it sent none.
 *
 * @param headers by lower-case name
 * @param statusPage whether it came to a listener that serves the status page
 */
record HttpRequest(
    String method,
    String path,
    String rawQuery,
    Map<String, String> headers,
    boolean statusPage,
    byte[] body) {
  HttpRequest withBody(byte[] b) {
    return new HttpRequest(method, path, rawQuery, headers, statusPage, b);
  }
}
