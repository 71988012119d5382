package io.alertbridge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch state left by a stage killed with {@code kill -9} does not pile up (review L4). */
class ScratchDirsTest {
  @TempDir Path tmp;

  @Test
  void aStartRemovesTheDirectoriesOfProcessesThatAreGoneAndKeepsTheOthers() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path leftover = tmp.resolve(ScratchDirs.PREFIX + gone.pid());
    Files.createDirectories(leftover.resolve("stage-1/policy/0_0"));
    Files.writeString(leftover.resolve("stage-1/policy/0_0/.checkpoint"), "x");
    Path alive =
        tmp.resolve(ScratchDirs.PREFIX + ProcessHandle.current().parent().orElseThrow().pid());
    Files.createDirectories(alive.resolve("stage-1"));
    Path notOurs = Files.createDirectories(tmp.resolve(ScratchDirs.PREFIX + "notes"));

    Path mine = ScratchDirs.create(tmp);

    assertThat(leftover).doesNotExist();
    assertThat(alive.resolve("stage-1")).isDirectory();
    assertThat(notOurs).isDirectory();
    assertThat(mine.getParent().getFileName().toString())
        .isEqualTo(ScratchDirs.PREFIX + ProcessHandle.current().pid());
    ScratchDirs.release(mine);
    assertThat(mine.getParent()).doesNotExist();
  }
}
