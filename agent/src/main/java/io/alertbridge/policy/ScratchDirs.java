package io.alertbridge.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy stage's scratch state directories, {@code alertbridge-policy-PID} in the temporary
 * directory. A stage deletes its own on close; one left by a process that is gone ({@code kill -9},
 * a power cut) is deleted by the next stage that starts on the host, so they cannot pile up (review
 * L4). The state itself is in Kafka's changelogs; these only speed up a running stage.
 */
final class ScratchDirs {
  private static final Logger log = LoggerFactory.getLogger(ScratchDirs.class);
  static final String PREFIX = "alertbridge-policy-";

  private ScratchDirs() {}

  /** Removes the directories of processes that are gone, then makes this process's own. */
  static Path create(Path tmp) {
    removeLeftovers(tmp);
    Path dir = tmp.resolve(PREFIX + ProcessHandle.current().pid());
    try {
      // Another stage of this process (tests run several) gets a subdirectory of its own.
      return Files.createTempDirectory(Files.createDirectories(dir), "stage-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the policy stage's scratch directory", e);
    }
  }

  static void removeLeftovers(Path tmp) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
      for (Path d : dirs) {
        if (ownerGone(d.getFileName().toString().substring(PREFIX.length()))) {
          log.info("removing the scratch directory of a policy stage that is gone: {}", d);
          delete(d);
        }
      }
    } catch (IOException e) {
      log.warn("cannot look for old policy scratch directories in {}: {}", tmp, e.toString());
    }
  }

  /** Only a name that is a process id of no running process; anything else is left alone. */
  private static boolean ownerGone(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).isEmpty();
    } catch (NumberFormatException notOurs) {
      return false;
    }
  }

  /** Deletes a stage's directory, and its process's when no other stage uses that. */
  static void release(Path dir) {
    delete(dir);
    deleteQuietly(dir.getParent());
  }

  static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(ScratchDirs::deleteQuietly);
    } catch (IOException e) {
      log.debug("cannot remove {}: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Not empty (another stage of this process), or gone already: left for later.
      log.debug("cannot remove {}: {}", p, e.toString());
    }
  }
}
