package dev.berth;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testsupport.BusyboxEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "No such …" and state conflicts have types of their own ({@link NotFoundException},
 * {@link ConflictException}), so callers (the Docker API's 404 and 409 among them) need not read
 * messages.
 */
class TypedErrorsTest {
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;
  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "creates containers and a network as root");
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void missingThings_areNotFound() {
    assertThatThrownBy(() -> berth.container("no-such-container"))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-container");
    assertThatThrownBy(() -> berth.image("no-such-image:1"))
        .isInstanceOf(NotFoundException.class).isInstanceOf(ImageNotFoundException.class);
    assertThatThrownBy(() -> berth.removeNetwork("no-such-network", false))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-network");
  }

  @Test
  void takenName_runningContainer_andNetworkInUse_areConflicts() throws Exception {
    berth.createNetwork("typed-errors");
    try (Container running = busybox.run(RunOptions.builder().name("typed-taken").detach(true)
        .network("typed-errors").command("sleep", "60").build())) {
      assertThatThrownBy(() -> busybox.create(RunOptions.builder().name("typed-taken")
          .command("true").build()))
          .isInstanceOf(ConflictException.class).hasMessageContaining("typed-taken");
      assertThatThrownBy(() -> running.remove(false)).isInstanceOf(ConflictException.class);
      assertThatThrownBy(() -> berth.removeNetwork("typed-errors", false))
          .isInstanceOf(ConflictException.class).hasMessageContaining("typed-errors");
      assertThatThrownBy(() -> running.connect("typed-errors", List.of()))
          .isInstanceOf(ConflictException.class);
      running.kill();
      running.waitFor();
      assertThatThrownBy(() -> running.exec("true")).isInstanceOf(ConflictException.class)
          .hasMessageContaining("is not running");
    } finally {
      berth.removeNetwork("typed-errors", true);
    }
  }
}
