package io.alertbridge.ack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Which incident a token is about, in few bytes: the policy task that owns its group (the partition
 * of {@code STATE-events}, so the response is written where the group is), a tag of the group key
 * (the task finds its group by it) and the incident's start, which tells this incident from the
 * group's next one.
 *
 * @param partition the group's partition, 0..65535
 * @param groupTag {@link #TAG_BYTES} bytes of SHA-256 of the group key
 * @param incident when the incident began, epoch ms (below 2^48)
 */
public record IncidentRef(int partition, byte[] groupTag, long incident) {
  public static final int TAG_BYTES = 6;
  static final int BYTES = 2 + TAG_BYTES + 6;

  public IncidentRef {
    if (partition < 0 || partition > 0xFFFF) {
      throw new IllegalArgumentException("partition out of range: " + partition);
    }
    if (groupTag == null || groupTag.length != TAG_BYTES) {
      throw new IllegalArgumentException("group tag must have " + TAG_BYTES + " bytes");
    }
    if (incident < 0 || incident >= (1L << 48)) {
      throw new IllegalArgumentException("incident time out of range: " + incident);
    }
    groupTag = groupTag.clone();
  }

  public static IncidentRef of(int partition, String groupKey, long incident) {
    return new IncidentRef(partition, tag(groupKey), incident);
  }

  /** The tag of a group key, compared with a token's to find its group. */
  public static byte[] tag(String groupKey) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(groupKey.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(h, TAG_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** Whether this ref names the group {@code groupKey}'s incident that began at {@code start}. */
  public boolean names(String groupKey, long start) {
    return incident == start && Arrays.equals(groupTag, tag(groupKey));
  }

  @Override
  public byte[] groupTag() {
    return groupTag.clone();
  }

  byte[] bytes() {
    byte[] b = new byte[BYTES];
    b[0] = (byte) (partition >>> 8);
    b[1] = (byte) partition;
    System.arraycopy(groupTag, 0, b, 2, TAG_BYTES);
    for (int i = 0; i < 6; i++) {
      b[2 + TAG_BYTES + i] = (byte) (incident >>> (8 * (5 - i)));
    }
    return b;
  }

  static IncidentRef read(byte[] b, int off) {
    int partition = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    byte[] tag = Arrays.copyOfRange(b, off + 2, off + 2 + TAG_BYTES);
    long incident = 0;
    for (int i = 0; i < 6; i++) {
      incident = (incident << 8) | (b[off + 2 + TAG_BYTES + i] & 0xFF);
    }
    return new IncidentRef(partition, tag, incident);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IncidentRef r
        && r.partition == partition
        && r.incident == incident
        && Arrays.equals(r.groupTag, groupTag);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * partition + Arrays.hashCode(groupTag)) + Long.hashCode(incident);
  }

  @Override
  public String toString() {
    return "IncidentRef[p" + partition + "@" + incident + "]";
  }
}
