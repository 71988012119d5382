package io.alertbridge.inbound;

/**
 * Bounds on what one inbound message may cost to read. A mailbox is written by strangers: without
 * these a 50 MB attachment or 1,000 nested multiparts would cost memory and time on every instance.
 *
 * @param maxMessageBytes a larger message is rejected before it is parsed
 * @param maxDepth multiparts nested deeper are rejected; the top level is depth 0
 * @param maxParts a message with more MIME parts (counting every multipart) is rejected
 * @param maxTextBytes at most this many decoded bytes are read of a text, DSN or header part
 */
public record InboundLimits(long maxMessageBytes, int maxDepth, int maxParts, int maxTextBytes) {
  public static final long MAX_MESSAGE_BYTES = 1L << 30;

  public InboundLimits {
    if (maxMessageBytes < 1024 || maxMessageBytes > MAX_MESSAGE_BYTES) {
      // The upper bound keeps a whole message in one byte array.
      throw new IllegalArgumentException(
          "maxMessageBytes must be between 1024 and "
              + MAX_MESSAGE_BYTES
              + ", found "
              + maxMessageBytes);
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be at least 1, found " + maxDepth);
    }
    if (maxParts < 1) {
      throw new IllegalArgumentException("maxParts must be at least 1, found " + maxParts);
    }
    if (maxTextBytes < 256) {
      throw new IllegalArgumentException(
          "maxTextBytes must be at least 256, found " + maxTextBytes);
    }
  }

  /** 10 MiB, depth 20, 200 parts, 64 KiB of each text part. */
  public static InboundLimits defaults() {
    return new InboundLimits(10L * 1024 * 1024, 20, 200, 64 * 1024);
  }
}
