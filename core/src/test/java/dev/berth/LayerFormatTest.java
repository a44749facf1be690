package dev.berth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store filled by another id setup (say, rootless) is refused, not used with wrong owners. */
class LayerFormatTest {
  @TempDir Path home;

  @Test
  void run_layerUnpackedForAnotherSetup_throwsNamingBothFormatsAndWhatToDo() throws Exception {
    assumeTrue(Linux.isRoot(), "root's engine expects layers in the \"overlay\" format");
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(home, reg)) {
      berth.pull("busybox");
      try (Stream<Path> metas = Files.list(home.resolve("layers"))) {
        for (Path meta : metas.map(l -> l.resolve("layer.json")).toList()) {
          Files.writeString(meta, Files.readString(meta).replace("\"overlay\"", "\"overlay-userxattr\""));
        }
      }
      assertThatThrownBy(() -> berth.run("busybox", RunOptions.command("true")))
          .isInstanceOf(UnsupportedEnvironmentException.class)
          .hasMessageContaining("was unpacked as \"overlay-userxattr\" but this engine needs \"overlay\"")
          .hasMessageContaining("use another BERTH_HOME");
    }
  }
}
