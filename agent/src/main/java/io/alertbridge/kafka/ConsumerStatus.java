package io.alertbridge.kafka;

import java.util.List;

/**
 * The delivery consumer as of its last poll, for metrics, health and the status page.
 *
 * @param joined the consumer has been through a rebalance since it started or last lost its
 *     partitions: it is in the group, with or without partitions
 */
public record ConsumerStatus(boolean joined, List<Partition> partitions) {
  public static final ConsumerStatus STARTING = new ConsumerStatus(false, List.of());

  public ConsumerStatus {
    partitions = List.copyOf(partitions);
  }

  /**
   * @param lag records between the consumer's position and the end of the partition; -1 unknown
   * @param inFlight records read and not yet committable (waiting for mail or being mailed)
   */
  public record Partition(String topic, int partition, long lag, int inFlight, boolean paused) {}
}
