package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testsupport.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remote engine against podman's API service ({@code podman system service}). */
class RemoteEngineOnPodmanServiceTest extends RemoteEngineContract {
  @Override
  CliEngine start(Path dir) {
    return CliEngine.podman(dir, "busybox");
  }

  @Override
  boolean holdsSessions() {
    return false; // the reaper container removes a killed JVM's containers
  }

  @Override
  Path socket(Path dir) {
    return dir.resolve("podman.sock");
  }

  @Override
  String busybox(CliEngine engine) {
    return engine.registry.host() + "/library/busybox"; // insecure in its registries.conf
  }

  /** The reaper's socket is a bind mount that must exist: the engine makes nothing in its place. */
  @Test
  void removeWithJvm_whenTheReapersSocketIsMissing_warns_andTheEngineMakesNothingThere()
      throws Exception {
    Path missing = dir.resolve("missing-" + System.nanoTime() + ".sock");
    Process child = ChildJvm.startWith(List.of("-Dberth.remote.reaper.socket=" + missing),
        ReaperChildMain.class, "unix://" + socket(dir), busybox, "exit");
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8));
    StringBuilder err = new StringBuilder();
    String owned = idAfter(out, "owned ", err);
    String kept = idAfter(out, "kept ", err);
    assertThat(child.waitFor()).isZero();
    assertThat(err.toString()).contains("could not start its reaper").contains(missing.toString());
    assertThat(missing).doesNotExist();
    assertThat(ids()).doesNotContain(owned).contains(kept);
    berth.container(kept).remove(true);
  }
}
