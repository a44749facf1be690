package dev.berth.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Running real programs. */
class CommandTest {
  @Test
  void run_failingProgram_throwsWithItsStderrAndExitCode() {
    assertThatThrownBy(() -> Command.run(List.of("sh", "-c", "echo broken >&2; exit 3")))
        .isInstanceOfSatisfying(TestImageException.class,
            e -> assertThat(e.toolOutput()).isEqualTo("broken\n"))
        .hasMessageContaining("exit code 3");
  }

  @Test
  void run_missingProgram_throwsSayingItMayNotBeInstalled() {
    assertThatThrownBy(() -> Command.run(List.of("no-such-program-berth")))
        .isInstanceOf(TestImageException.class).hasMessageContaining("is it installed?");
  }

  @Test
  void run_failureWithCredentials_masksThemInTheMessage() {
    assertThatThrownBy(() -> Command.run(
            List.of("false", "--dest-creds=user:secret1", "--creds", "user:secret2")))
        .hasMessageNotContaining("secret1").hasMessageNotContaining("secret2")
        .hasMessageContaining("--dest-creds=***");
  }
}
